#include "idp/responses.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "idp/http_text.h"

namespace gatehouse::idp {
namespace {

constexpr std::string_view kHtml = "text/html; charset=utf-8";

// The page frame; `content` is already escaped HTML.
std::string html_document(std::string_view title, std::string_view content) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  out += html_escape(title);
  out +=
      "</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;"
      "padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],"
      "input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}"
      "button{margin-top:1rem;padding:.5rem 1.2rem}.message{color:#a00}"
      ".note{color:#666;font-size:.85rem}</style></head><body>\n";
  out += content;
  out +=
      "\n<p class=\"note\">gatehouse development identity provider: for development and "
      "tests, not for production.</p></body></html>\n";
  return out;
}

Response html_response(unsigned status, std::string body) {
  Response out;
  out.status = status;
  out.headers = {{"Content-Type", std::string(kHtml)},
                 {"Cache-Control", "no-store"},
                 {"X-Frame-Options", "DENY"},
                 {"Content-Security-Policy",
                  // No form-action: browsers apply it to the redirect after the login
                  // form, which leaves for the client's redirect_uri.
                  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"}};
  out.body = std::move(body);
  return out;
}

}  // namespace

std::string_view error_code(OAuthError error) {
  switch (error) {
    case OAuthError::InvalidRequest:
      return "invalid_request";
    case OAuthError::InvalidClient:
      return "invalid_client";
    case OAuthError::InvalidGrant:
      return "invalid_grant";
    case OAuthError::UnauthorizedClient:
      return "unauthorized_client";
    case OAuthError::UnsupportedGrantType:
      return "unsupported_grant_type";
    case OAuthError::UnsupportedResponseType:
      return "unsupported_response_type";
    case OAuthError::InvalidScope:
      return "invalid_scope";
    case OAuthError::AccessDenied:
      return "access_denied";
    case OAuthError::LoginRequired:
      return "login_required";
    case OAuthError::InvalidToken:
      return "invalid_token";
    case OAuthError::InsufficientScope:
      return "insufficient_scope";
    case OAuthError::ServerError:
      return "server_error";
  }
  return "server_error";
}

unsigned error_status(OAuthError error) {
  switch (error) {
    case OAuthError::InvalidClient:
    case OAuthError::InvalidToken:
      return 401;
    case OAuthError::InsufficientScope:
      return 403;
    case OAuthError::ServerError:
      return 500;
    case OAuthError::InvalidRequest:
    case OAuthError::InvalidGrant:
    case OAuthError::UnauthorizedClient:
    case OAuthError::UnsupportedGrantType:
    case OAuthError::UnsupportedResponseType:
    case OAuthError::InvalidScope:
    case OAuthError::AccessDenied:
    case OAuthError::LoginRequired:
      return 400;
  }
  return 500;
}

Response json_error(OAuthError error, std::string_view description) {
  boost::json::object body{{"error", error_code(error)}, {"error_description", description}};
  Response out = json_response(error_status(error), boost::json::serialize(body));
  out.headers.emplace_back("Cache-Control", "no-store");
  if (error == OAuthError::InvalidClient) {
    out.headers.emplace_back("WWW-Authenticate", "Basic realm=\"gatehouse-idp\"");
  } else if (error == OAuthError::InvalidToken || error == OAuthError::InsufficientScope) {
    out.headers.emplace_back("WWW-Authenticate",
                             "Bearer error=\"" + std::string(error_code(error)) + "\"");
  }
  return out;
}

Response redirect_error(std::string_view redirect_uri, OAuthError error,
                        std::string_view description, std::string_view state) {
  std::pair<std::string_view, std::string_view> params[] = {
      {"error", error_code(error)}, {"error_description", description}, {"state", state}};
  return redirect(append_query(redirect_uri, std::span(params, state.empty() ? 2 : 3)));
}

Response json_response(unsigned status, std::string body) {
  Response out;
  out.status = status;
  out.headers = {{"Content-Type", "application/json"}};
  out.body = std::move(body);
  return out;
}

Response token_response(std::string body) {
  Response out = json_response(200, std::move(body));
  out.headers.emplace_back("Cache-Control", "no-store");
  out.headers.emplace_back("Pragma", "no-cache");
  return out;
}

Response redirect(std::string location) {
  Response out;
  out.status = 302;
  out.headers = {{"Location", std::move(location)}, {"Cache-Control", "no-store"}};
  return out;
}

Response error_page(unsigned status, std::string_view error, std::string_view description) {
  std::string content = "<h1>Sign-in error</h1>\n<p><strong>";
  content += html_escape(error);
  content += "</strong></p>\n<p>";
  content += html_escape(description);
  content += "</p>";
  return html_response(status, html_document("Sign-in error", content));
}

Response login_page(unsigned status, std::string_view action,
                    std::span<const std::pair<std::string_view, std::string_view>> carried,
                    std::string_view username, std::string_view message) {
  std::string content = "<h1>Sign in</h1>\n";
  if (!message.empty()) {
    content += "<p class=\"message\" role=\"alert\">" + html_escape(message) + "</p>\n";
  }
  content += "<form method=\"post\" action=\"" + html_escape(action) + "\">\n";
  for (const auto& [name, value] : carried) {
    if (value.empty()) continue;
    content += "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" +
               html_escape(value) + "\">\n";
  }
  content +=
      "<label for=\"username\">Username</label>"
      "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" "
      "autofocus required value=\"" +
      html_escape(username) +
      "\">\n<label for=\"password\">Password</label>"
      "<input type=\"password\" id=\"password\" name=\"password\" "
      "autocomplete=\"current-password\" required>\n"
      "<button type=\"submit\">Sign in</button>\n</form>";
  return html_response(status, html_document("Sign in", content));
}

Response signed_out_page() {
  return html_response(200, html_document("Signed out", "<h1>You are signed out</h1>"));
}

}  // namespace gatehouse::idp
