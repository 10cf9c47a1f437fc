#include "http1/writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace gatehouse::http1 {
namespace {

void append_fields(std::span<const Field> fields, std::string& out) {
  for (const Field& field : fields) {
    out.append(field.name);
    out.append(": ");
    out.append(field.value);
    out.append("\r\n");
  }
  out.append("\r\n");
}

std::string_view version_text(unsigned version) { return version == 10 ? "HTTP/1.0" : "HTTP/1.1"; }

// The IANA registry's phrases for the codes gatehouse or an upstream commonly sends.
constexpr std::array<std::pair<unsigned, std::string_view>, 50> kReasons{{
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Payload Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {418, "I'm a teapot"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Entity"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
}};

}  // namespace

void write_request_head(std::string_view method, std::string_view target, unsigned version,
                        std::span<const Field> fields, std::string& out) {
  out.clear();
  out.append(method);
  out.push_back(' ');
  out.append(target);
  out.push_back(' ');
  out.append(version_text(version));
  out.append("\r\n");
  append_fields(fields, out);
}

void write_response_head(unsigned version, unsigned status, std::string_view reason,
                         std::span<const Field> fields, std::string& out) {
  out.clear();
  out.append(version_text(version));
  char code[std::numeric_limits<unsigned>::digits10 + 1];  // any `status`, not only 3 digits
  auto [end, ec] = std::to_chars(code, code + sizeof(code), status);
  out.push_back(' ');
  out.append(code, end);
  out.push_back(' ');
  out.append(reason.empty() ? reason_phrase(status) : reason);
  out.append("\r\n");
  append_fields(fields, out);
}

std::string_view reason_phrase(unsigned status) {
  auto it = std::lower_bound(kReasons.begin(), kReasons.end(), status,
                             [](const auto& entry, unsigned code) { return entry.first < code; });
  return it != kReasons.end() && it->first == status ? it->second : "Unknown";
}

std::size_t write_chunk_size(std::size_t size, char (&out)[20]) {
  auto [end, ec] = std::to_chars(out, out + 16, size, 16);
  *end++ = '\r';
  *end++ = '\n';
  return static_cast<std::size_t>(end - out);
}

}  // namespace gatehouse::http1
