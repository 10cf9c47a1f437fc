// The text the provider reads and writes: strict form and query parameters (RFC 6749 section
// 3.1: no parameter twice), scopes, HTTP Basic and Bearer credentials, its session cookie, and
// HTML escaping. Pure functions; internal to the idp module.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oidc/url.h"

namespace gatehouse::idp {

class Params {
 public:
  static constexpr std::size_t kMaxParams = 64;
  static constexpr std::size_t kMaxValueBytes = 8 * 1024;

  // Fails with a message on a bad %-escape, more than kMaxParams parameters, a value larger
  // than kMaxValueBytes, or a parameter given twice.
  static std::optional<Params> parse(std::string_view text, std::string& error);

  // nullptr when absent.
  const std::string* get(std::string_view name) const;
  // The value, or "" when absent.
  std::string_view value(std::string_view name) const;
  bool has(std::string_view name) const { return get(name) != nullptr; }

 private:
  std::vector<oidc::FormParam> list_;
};

// "application/x-www-form-urlencoded", parameters such as charset allowed.
bool is_form_content_type(std::string_view content_type);

// Space-separated scope tokens (RFC 6749 section 3.3), duplicates dropped; nullopt on an
// empty token or a character outside NQCHAR.
std::optional<std::vector<std::string>> parse_scope(std::string_view text);
std::string join_scope(const std::vector<std::string>& scopes);
bool has_scope(const std::vector<std::string>& scopes, std::string_view scope);

// `uri` with `params` appended to its query (form-encoded), for redirects.
std::string append_query(std::string_view uri,
                         std::span<const std::pair<std::string_view, std::string_view>> params);

struct BasicCredentials {
  std::string client_id;
  std::string client_secret;
};
enum class BasicParse { Absent, Malformed, Ok };
// RFC 6749 section 2.3.1: "Basic base64(form-encoded id ':' form-encoded secret)".
BasicParse parse_basic(std::string_view authorization, BasicCredentials& out);

// The token of "Bearer <token>" (scheme case-insensitive), or nullopt.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// The provider's session id from the Cookie fields; nullopt when absent, malformed, or sent
// more than once (a login session must be unambiguous).
std::optional<std::string> find_session_cookie(std::span<const std::string_view> fields);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace gatehouse::idp
