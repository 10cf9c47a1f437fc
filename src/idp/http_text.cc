#include "idp/http_text.h"

#include <algorithm>

#include "idp/state.h"
#include "jose/base64url.h"
#include "request/request_view.h"
#include "session/cookies.h"

namespace gatehouse::idp {

std::optional<Params> Params::parse(std::string_view text, std::string& error) {
  Params out;
  if (!oidc::parse_form(text, out.list_)) {
    error = "malformed percent-encoding";
    return std::nullopt;
  }
  if (out.list_.size() > kMaxParams) {
    error = "too many parameters";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < out.list_.size(); ++i) {
    if (out.list_[i].value.size() > kMaxValueBytes) {
      error = "parameter " + out.list_[i].name + " is too long";
      return std::nullopt;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (out.list_[j].name == out.list_[i].name) {
        error = "parameter " + out.list_[i].name + " is given more than once";
        return std::nullopt;
      }
    }
  }
  return out;
}

const std::string* Params::get(std::string_view name) const {
  for (const oidc::FormParam& param : list_) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

std::string_view Params::value(std::string_view name) const {
  const std::string* found = get(name);
  return found == nullptr ? std::string_view() : std::string_view(*found);
}

bool is_form_content_type(std::string_view content_type) {
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  const std::size_t end = type.find_last_not_of(" \t");
  return iequals(type.substr(0, end == std::string_view::npos ? 0 : end + 1),
                 "application/x-www-form-urlencoded");
}

std::optional<std::vector<std::string>> parse_scope(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  for (;;) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    const bool nqchars = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
    });
    if (!nqchars) return std::nullopt;
    if (!has_scope(out, word)) out.emplace_back(word);
    if (space == std::string_view::npos) return out;
    text.remove_prefix(space + 1);
  }
}

std::string join_scope(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

bool has_scope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string append_query(std::string_view uri,
                         std::span<const std::pair<std::string_view, std::string_view>> params) {
  std::string out(uri);
  char separator = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    out += separator;
    out += oidc::form_encode(name);
    out += '=';
    out += oidc::form_encode(value);
    separator = '&';
  }
  return out;
}

BasicParse parse_basic(std::string_view authorization, BasicCredentials& out) {
  const std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "basic")) {
    return BasicParse::Absent;
  }
  std::string decoded;
  if (!jose::base64_decode(authorization.substr(space + 1), decoded)) return BasicParse::Malformed;
  const std::size_t colon = decoded.find(':');
  if (colon == std::string::npos) return BasicParse::Malformed;
  if (!oidc::form_decode(decoded.substr(0, colon), out.client_id) ||
      !oidc::form_decode(decoded.substr(colon + 1), out.client_secret)) {
    return BasicParse::Malformed;
  }
  return out.client_id.empty() ? BasicParse::Malformed : BasicParse::Ok;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  const std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  std::string_view token = authorization.substr(space + 1);
  if (token.empty() || token.find_first_of(" \t,") != std::string_view::npos) return std::nullopt;
  return token;
}

std::optional<std::string> find_session_cookie(std::span<const std::string_view> fields) {
  std::vector<session::Cookie> cookies;
  for (std::string_view field : fields) {
    if (session::parse_cookie_header(field, cookies) != session::Status::Ok) return std::nullopt;
  }
  std::optional<std::string> found;
  for (const session::Cookie& cookie : cookies) {
    if (cookie.name != kSessionCookie) continue;
    if (found) return std::nullopt;
    found = std::string(cookie.value);
  }
  // Session ids are 32 random bytes in base64url.
  if (found && (found->size() != 43 ||
                found->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789-_") != std::string::npos)) {
    return std::nullopt;
  }
  return found;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace gatehouse::idp
