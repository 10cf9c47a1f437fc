#include "httpbin/httpbin.h"

#include "httpbin/endpoints.h"

namespace gatehouse::httpbin {
namespace {

enum class PathParam {
  kNone,     // the path is exactly the route
  kSegment,  // one non-empty segment follows the route (no '/')
  kDigits,   // one segment of ASCII digits follows (werkzeug's <int:n>)
  kRest,     // anything non-empty follows (werkzeug's <path:p>)
};

using Handler = Response (*)(const Call&);

struct Route {
  std::string_view path;
  PathParam param;
  std::string_view allow;  // the Allow header, as werkzeug lists the route's methods
  Handler handler;
};

constexpr std::string_view kGetMethods = "GET, HEAD, OPTIONS";
constexpr std::string_view kAnyMethod = "GET, POST, PUT, DELETE, PATCH, TRACE, HEAD, OPTIONS";

constexpr Route kRoutes[] = {
    {"/get", PathParam::kNone, kGetMethods, echo_get},
    {"/anything", PathParam::kNone, kAnyMethod, echo_anything},
    {"/anything/", PathParam::kRest, kAnyMethod, echo_anything},
    {"/post", PathParam::kNone, "POST, OPTIONS", echo_body},
    {"/put", PathParam::kNone, "PUT, OPTIONS", echo_body},
    {"/patch", PathParam::kNone, "PATCH, OPTIONS", echo_body},
    {"/delete", PathParam::kNone, "DELETE, OPTIONS", echo_body},
    {"/headers", PathParam::kNone, kGetMethods, echo_headers},
    {"/ip", PathParam::kNone, kGetMethods, echo_ip},
    {"/user-agent", PathParam::kNone, kGetMethods, echo_user_agent},
    {"/uuid", PathParam::kNone, kGetMethods, random_uuid},
    {"/status/", PathParam::kSegment, kAnyMethod, status_codes},
    {"/delay/", PathParam::kSegment, kGetMethods, delayed},
    {"/bytes/", PathParam::kDigits, kGetMethods, random_bytes},
    {"/stream/", PathParam::kDigits, kGetMethods, json_stream},
    {"/response-headers", PathParam::kNone, "GET, POST, HEAD, OPTIONS", response_headers},
};

// werkzeug's HTML error pages, byte for byte.
constexpr std::string_view kNotFoundHtml =
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.</p>\n";
constexpr std::string_view kMethodNotAllowedHtml =
    "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
    "<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";
constexpr std::string_view kHtml = "text/html; charset=utf-8";

// The route's parameter when `path` matches it.
std::optional<std::string_view> match(const Route& route, std::string_view path) {
  if (!path.starts_with(route.path)) return std::nullopt;
  std::string_view param = path.substr(route.path.size());
  switch (route.param) {
    case PathParam::kNone:
      if (!param.empty()) return std::nullopt;
      return param;
    case PathParam::kSegment:
      if (param.empty() || param.find('/') != std::string_view::npos) return std::nullopt;
      return param;
    case PathParam::kDigits:
      if (param.empty() || param.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
      return param;
    case PathParam::kRest:
      if (param.empty()) return std::nullopt;
      return param;
  }
  return std::nullopt;
}

bool allows(std::string_view allow, std::string_view method) {
  while (!allow.empty()) {
    auto comma = allow.find(", ");
    if (allow.substr(0, comma) == method) return true;
    allow.remove_prefix(comma == std::string_view::npos ? allow.size() : comma + 2);
  }
  return false;
}

Response routed(const Request& request, uint64_t random) {
  const RequestView& view = request.view;
  for (const Route& route : kRoutes) {
    std::optional<std::string_view> param = match(route, view.path);
    if (!param) continue;
    if (!allows(route.allow, view.method)) {
      Response response = typed_response(405, kHtml, std::string(kMethodNotAllowedHtml));
      response.headers.emplace_back("Allow", route.allow);
      return response;
    }
    if (view.method == "OPTIONS") {
      Response response = typed_response(200, kHtml, {});
      response.headers.emplace_back("Allow", route.allow);
      return response;
    }
    return route.handler(Call{request, *param, random});
  }
  return typed_response(404, kHtml, std::string(kNotFoundHtml));
}

// httpbin's after_request hook: CORS headers on every response, preflight ones on OPTIONS.
void add_cors_headers(const RequestView& view, Response& response) {
  auto& headers = response.headers;
  headers.emplace_back("Access-Control-Allow-Origin", view.header("Origin").value_or("*"));
  headers.emplace_back("Access-Control-Allow-Credentials", "true");
  if (view.method != "OPTIONS") return;
  headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH, OPTIONS");
  headers.emplace_back("Access-Control-Max-Age", "3600");
  if (auto requested = view.header("Access-Control-Request-Headers"))
    headers.emplace_back("Access-Control-Allow-Headers", *requested);
}

}  // namespace

Response respond(const Request& request, uint64_t random) {
  Response response = routed(request, random);
  add_cors_headers(request.view, response);
  return response;
}

}  // namespace gatehouse::httpbin
