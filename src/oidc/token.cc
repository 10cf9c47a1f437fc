#include "oidc/token.h"

#include <algorithm>
#include <boost/json/object.hpp>

#include "jose/base64url.h"
#include "oidc/json.h"
#include "oidc/url.h"
#include "request/request_view.h"

namespace gatehouse::oidc {
namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

void add_field(std::string& body, std::string_view name, std::string_view value) {
  if (!body.empty()) body += '&';
  body += form_encode(name);
  body += '=';
  body += form_encode(value);
}

// The body so far plus the client's authentication, and the headers to send it with.
TokenRequest with_client_authentication(const config::AuthenticateOidcConfig& config,
                                        std::string_view client_secret, std::string body) {
  TokenRequest request;
  request.headers = {{"Content-Type", std::string(kFormContentType)},
                     {"Accept", "application/json"}};
  if (config.client_authentication == config::ClientAuthentication::ClientSecretPost) {
    add_field(body, "client_id", config.client_id);
    add_field(body, "client_secret", client_secret);
  } else {
    const std::string credentials =
        form_encode(config.client_id) + ":" + form_encode(client_secret);
    request.headers.emplace_back("Authorization", "Basic " + jose::base64_encode(credentials));
  }
  request.body = std::move(body);
  return request;
}

// Reads the optional string member `name` into `out`; false when it is there but unusable.
bool string_member(const boost::json::object& object, std::string_view name, bool vschar,
                   std::optional<std::string>& out) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || value->is_null()) return true;
  if (!value->is_string()) return false;
  const std::string_view text = value->get_string();
  if (vschar ? !detail::is_vschar_text(text) : text.empty()) return false;
  out.emplace(text);
  return true;
}

// expires_in as RFC 6749 has it (a number of seconds) or as some IdPs send it ("3600").
bool expires_in_member(const boost::json::object& object, std::optional<std::int64_t>& out) {
  const boost::json::value* value = object.if_contains("expires_in");
  if (value == nullptr || value->is_null()) return true;
  std::int64_t seconds = -1;
  if (value->is_int64()) {
    seconds = value->get_int64();
  } else if (value->is_uint64()) {
    const std::uint64_t number = value->get_uint64();
    if (number <= static_cast<std::uint64_t>(kMaxExpiresInSeconds)) {
      seconds = static_cast<std::int64_t>(number);
    }
  } else if (value->is_double()) {
    const double number = value->get_double();
    if (number >= 0 && number <= static_cast<double>(kMaxExpiresInSeconds) &&
        number == static_cast<double>(static_cast<std::int64_t>(number))) {
      seconds = static_cast<std::int64_t>(number);
    }
  } else if (value->is_string()) {
    const std::string_view text = value->get_string();
    if (!text.empty() && text.size() <= 10 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      seconds = std::stoll(std::string(text));
    }
  }
  if (seconds < 0 || seconds > kMaxExpiresInSeconds) return false;
  out = seconds;
  return true;
}

// The IdP's "error" code as detail::idp_error_code keeps it; empty when absent.
std::string error_code(const boost::json::object& object) {
  const boost::json::value* value = object.if_contains("error");
  return value != nullptr && value->is_string() ? detail::idp_error_code(value->get_string())
                                                : std::string();
}

Error endpoint_error(int http_status, const std::string& code) {
  if (code == "invalid_grant") return Error{Status::TokenInvalidGrant, code};
  return Error{Status::TokenEndpointError,
               code.empty() ? "HTTP " + std::to_string(http_status) : code};
}

}  // namespace

TokenRequest code_token_request(const config::AuthenticateOidcConfig& config,
                                std::string_view client_secret, const CodeExchange& exchange) {
  std::string body;
  add_field(body, "grant_type", "authorization_code");
  add_field(body, "code", exchange.code);
  add_field(body, "redirect_uri", exchange.redirect_uri);
  if (!exchange.code_verifier.empty()) add_field(body, "code_verifier", exchange.code_verifier);
  return with_client_authentication(config, client_secret, std::move(body));
}

TokenRequest refresh_token_request(const config::AuthenticateOidcConfig& config,
                                   std::string_view client_secret, std::string_view refresh_token) {
  std::string body;
  add_field(body, "grant_type", "refresh_token");
  add_field(body, "refresh_token", refresh_token);
  return with_client_authentication(config, client_secret, std::move(body));
}

Result<TokenResponse> parse_token_response(int http_status, std::string_view body, Grant grant) {
  const bool success = http_status >= 200 && http_status <= 299;
  if (body.size() > kMaxTokenResponseBytes) {
    return success ? Error{Status::TokenResponseTooLarge, {}} : endpoint_error(http_status, {});
  }
  boost::json::object object;
  const bool parsed = detail::parse_object(body, object);
  if (!success) return endpoint_error(http_status, parsed ? error_code(object) : std::string());
  if (!parsed) return Error{Status::TokenResponseNotJson, {}};
  if (!object.contains("access_token") && object.contains("error")) {
    return endpoint_error(http_status, error_code(object));
  }

  TokenResponse out;
  std::optional<std::string> access_token;
  if (!string_member(object, "access_token", true, access_token)) {
    return Error{Status::TokenResponseBadMember, "access_token"};
  }
  if (!access_token) return Error{Status::TokenResponseNoAccessToken, {}};
  out.access_token = std::move(*access_token);
  const boost::json::value* type = object.if_contains("token_type");
  if (type == nullptr || !type->is_string() || !iequals(type->get_string(), "bearer")) {
    return Error{Status::TokenResponseNotBearer, {}};
  }
  if (!string_member(object, "id_token", false, out.id_token)) {
    return Error{Status::TokenResponseBadMember, "id_token"};
  }
  if (!string_member(object, "refresh_token", true, out.refresh_token)) {
    return Error{Status::TokenResponseBadMember, "refresh_token"};
  }
  if (!expires_in_member(object, out.expires_in)) {
    return Error{Status::TokenResponseBadMember, "expires_in"};
  }
  if (grant == Grant::AuthorizationCode && !out.id_token) {
    return Error{Status::TokenResponseNoIdToken, {}};
  }
  return out;
}

std::string client_secret_from_text(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  const bool usable = std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  return usable ? std::string(text) : std::string();
}

}  // namespace gatehouse::oidc
