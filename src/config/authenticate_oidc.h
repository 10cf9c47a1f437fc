// The authenticate-oidc listener action: ALB's AuthenticateOidcConfig (same field names and
// defaults) plus gatehouse's additions. Secrets are never in the YAML: the client secret and the
// session keys are named by file or environment variable and read by the runtime, not here.
// Use resources.h, which includes this.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::config {

// What a request without a usable session gets (ALB's OnUnauthenticatedRequest).
enum class OnUnauthenticatedRequest { Authenticate, Deny, Allow };

// How gatehouse authenticates to the token endpoint (RFC 6749 section 2.3.1).
enum class ClientAuthentication { ClientSecretBasic, ClientSecretPost };

struct AuthenticateOidcConfig {
  std::string issuer;                  // compared byte for byte with the ID token's "iss"
  std::string authorization_endpoint;  // may carry a query; never a fragment
  std::string token_endpoint;
  std::string user_info_endpoint;
  std::string client_id;
  // Exactly one is set: the file holding the client secret, or the variable naming it.
  std::string client_secret_file;
  std::string client_secret_env;
  std::string scope = "openid";  // always holds the word "openid"
  std::string session_cookie_name = "AWSELBAuthSessionCookie";
  std::int64_t session_timeout_seconds = 604800;  // 1 .. 604800
  // Added to the authorization request, in the order written; at most 10, none of the names
  // gatehouse sends itself.
  std::vector<std::pair<std::string, std::string>> authentication_request_extra_params;
  OnUnauthenticatedRequest on_unauthenticated_request = OnUnauthenticatedRequest::Authenticate;
  // gatehouse's additions.
  bool use_pkce = true;    // code_challenge S256 on the login, code_verifier on the exchange
  bool send_nonce = true;  // nonce on the login, checked in the ID token
  ClientAuthentication client_authentication = ClientAuthentication::ClientSecretBasic;
  std::string logout_path;        // empty: no built-in logout
  std::string session_keys_file;  // the session::SessionKeys file; required
  // Development only: lets the action run on an HTTP listener and the four endpoints be http://.
  bool allow_insecure_http = false;
};

}  // namespace gatehouse::config
