#include "oidc/json.h"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace gatehouse::oidc::detail {

bool parse_object(std::string_view text, boost::json::object& out) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code failure;
  boost::json::value value = boost::json::parse(text, failure, {}, options);
  if (failure || !value.is_object()) return false;
  out = std::move(value.get_object());
  return true;
}

bool is_vschar_text(std::string_view text) {
  return !text.empty() && text.front() != ' ' && text.back() != ' ' &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string idp_error_code(std::string_view error) {
  std::string code;
  for (char c : error) {
    if (code.size() == kMaxIdpErrorBytes) break;
    if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') code += c;
  }
  return code;
}

}  // namespace gatehouse::oidc::detail
