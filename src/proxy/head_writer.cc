#include "proxy/head_writer.h"

#include <charconv>

namespace gatehouse::proxy {
namespace {

namespace http = boost::beast::http;

void append_fields(const http::fields& fields, std::string& out) {
  for (const auto& field : fields) {
    out.append(field.name_string());
    out.append(": ");
    out.append(field.value());
    out.append("\r\n");
  }
  out.append("\r\n");
}

std::string_view version_text(unsigned version) { return version == 10 ? "HTTP/1.0" : "HTTP/1.1"; }

}  // namespace

void write_head(const http::request_header<>& head, std::string& out) {
  out.clear();
  out.append(head.method_string());
  out.push_back(' ');
  out.append(head.target());
  out.push_back(' ');
  out.append(version_text(head.version()));
  out.append("\r\n");
  append_fields(head, out);
}

void write_head(const http::response_header<>& head, std::string& out) {
  out.clear();
  out.append(version_text(head.version()));
  char code[4];
  auto [end, ec] = std::to_chars(code, code + sizeof(code), head.result_int());
  out.push_back(' ');
  out.append(code, end);
  out.push_back(' ');
  const auto reason = head.reason();
  out.append(reason.empty() ? http::obsolete_reason(head.result()) : reason);
  out.append("\r\n");
  append_fields(head, out);
}

std::size_t write_chunk_size(std::size_t size, char (&out)[20]) {
  auto [end, ec] = std::to_chars(out, out + 16, size, 16);
  *end++ = '\r';
  *end++ = '\n';
  return static_cast<std::size_t>(end - out);
}

}  // namespace gatehouse::proxy
