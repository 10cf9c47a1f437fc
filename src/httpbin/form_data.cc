#include "httpbin/form_data.h"

#include <boost/json.hpp>

#include "httpbin/text_codec.h"
#include "request/request_view.h"

namespace gatehouse::httpbin {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string unquote(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  text = text.substr(1, text.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Splits off the text before the first `delimiter` and advances `rest` past it. Returns nullopt
// (leaving `rest` alone) when the delimiter is missing.
std::optional<std::string_view> take_until(std::string_view& rest, std::string_view delimiter) {
  auto at = rest.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view head = rest.substr(0, at);
  rest.remove_prefix(at + delimiter.size());
  return head;
}

struct PartHeaders {
  std::optional<std::string> name;
  std::optional<std::string> filename;
  std::string content_type = "application/octet-stream";
};

PartHeaders parse_part_headers(std::string_view block) {
  PartHeaders headers;
  while (!block.empty()) {
    auto line_end = block.find("\r\n");
    std::string_view line = block.substr(0, line_end);
    block.remove_prefix(line_end == std::string_view::npos ? block.size() : line_end + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      headers.name = header_parameter(value, "name");
      headers.filename = header_parameter(value, "filename");
    } else if (iequals(name, "Content-Type") && !value.empty()) {
      headers.content_type = std::string(value);
    }
  }
  return headers;
}

}  // namespace

std::string url_decode(std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      bytes.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      bytes.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      bytes.push_back(c);
    }
  }
  return is_valid_utf8(bytes) ? bytes : replace_invalid_utf8(bytes);
}

void add_field(boost::json::object& fields, std::string_view key, std::string value) {
  auto found = fields.find(key);
  if (found == fields.end()) {
    fields.emplace(key, std::move(value));
    return;
  }
  boost::json::value& existing = found->value();
  if (!existing.is_array()) {
    boost::json::array list;
    list.emplace_back(std::move(existing));
    existing = std::move(list);
  }
  existing.get_array().emplace_back(std::move(value));
}

boost::json::object parse_urlencoded(std::string_view text) {
  boost::json::object fields;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text.remove_prefix(amp == std::string_view::npos ? text.size() : amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    add_field(fields, url_decode(pair.substr(0, eq)), url_decode(value));
  }
  return fields;
}

std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name) {
  auto semicolon = header_value.find(';');
  while (semicolon != std::string_view::npos) {
    header_value.remove_prefix(semicolon + 1);
    // A quoted value may itself contain ';', so find the end of this parameter quote-aware.
    bool quoted = false;
    std::size_t end = 0;
    for (; end < header_value.size(); ++end) {
      char c = header_value[end];
      if (c == '\\' && quoted)
        ++end;
      else if (c == '"')
        quoted = !quoted;
      else if (c == ';' && !quoted)
        break;
    }
    std::string_view parameter = trim(header_value.substr(0, end));
    semicolon = end < header_value.size() ? end : std::string_view::npos;
    auto eq = parameter.find('=');
    if (eq != std::string_view::npos && iequals(trim(parameter.substr(0, eq)), name))
      return unquote(trim(parameter.substr(eq + 1)));
  }
  return std::nullopt;
}

std::string media_type(std::string_view content_type) {
  std::string type(trim(content_type.substr(0, content_type.find(';'))));
  for (char& c : type)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return type;
}

std::string json_safe(std::string_view bytes, std::string_view content_type) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out = "data:";
  out += content_type;
  out += ";base64,";
  out += base64_encode(bytes);
  return out;
}

MultipartFields parse_multipart(std::string_view body, std::string_view boundary) {
  MultipartFields fields;
  if (boundary.empty()) return fields;
  const std::string delimiter = "--" + std::string(boundary);
  const std::string part_end = "\r\n" + delimiter;
  std::string_view rest = body;
  if (!take_until(rest, delimiter)) return fields;  // drops the preamble
  while (rest.substr(0, 2) == "\r\n") {
    rest.remove_prefix(2);
    std::optional<std::string_view> header_block;
    if (rest.substr(0, 2) == "\r\n") {
      rest.remove_prefix(2);
      header_block.emplace();
    } else {
      header_block = take_until(rest, "\r\n\r\n");
    }
    if (!header_block) break;
    auto content = take_until(rest, part_end);
    if (!content) break;
    PartHeaders headers = parse_part_headers(*header_block);
    if (!headers.name) continue;
    if (headers.filename) {
      add_field(fields.files, *headers.name, json_safe(*content, headers.content_type));
    } else {
      add_field(fields.form, *headers.name, replace_invalid_utf8(*content));
    }
  }
  return fields;
}

}  // namespace gatehouse::httpbin
