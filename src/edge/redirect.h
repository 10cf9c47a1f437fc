// ALB's `redirect` action: a Location built from the request and the configured
// components, with the `#{protocol}`, `#{host}`, `#{port}`, `#{path}` and `#{query}`
// placeholders, answered as 301 or 302 with ALB's small HTML body.
// Thread-safety: a compiled RedirectAction is immutable; render() is a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/resources.h"
#include "edge/generated_response.h"
#include "edge/rule_error.h"
#include "request/request_view.h"

namespace gatehouse::edge {

enum class Placeholder { Protocol, Host, Port, Path, Query };

// One component (host, path or query) as literal text and placeholders, in order.
struct UrlPiece {
  std::string literal;                     // when placeholder is empty
  std::optional<Placeholder> placeholder;  // replaced by the request's value
};
using UrlTemplate = std::vector<UrlPiece>;

// What a redirect needs to know of the listener it runs on.
struct ListenerInfo {
  std::string_view protocol = "HTTP";  // HTTP or HTTPS
  uint32_t port = 0;                   // 0: unknown, so a literal port always counts as a change
};

struct RedirectAction {
  uint32_t status_code = 0;      // 301 or 302
  std::string scheme;            // "http" or "https"; empty: the request's
  std::optional<uint16_t> port;  // none: the listener's
  UrlTemplate host, path, query;
};

// Validates and compiles a redirect action of a rule on `listener`: statusCode HTTP_301/HTTP_302,
// protocol HTTP/HTTPS/#{protocol} and never HTTPS to HTTP, port 1-65535 or #{port}, a path starting
// with '/', placeholders only where ALB allows them (protocol: protocol, query; host: host, path,
// query; port: port, path, query; path: path, query; query: query), and at least one of protocol,
// host, port and path different from the request's (a protocol or port equal to the listener's
// counts as unchanged), so it cannot send the client back where it was.
std::optional<RedirectAction> compile_redirect(const config::RuleAction& action,
                                               const ListenerInfo& listener,
                                               std::vector<RuleError>& errors);

// The response for `request`: ALB's status, Server and Content-Type: text/html headers, its
// nginx-style body, and `Location: scheme://host:port/path[?query]`, the port always written
// (ALB writes `:443` too), `?` only before a non-empty query. `#{path}` is the path without
// its leading '/'. A request without a host (HTTP/1.0 without Host), or a Location that
// would hold a space or a control character, gets a 400 instead.
GeneratedResponse render(const RedirectAction& action, const RequestView& request);

}  // namespace gatehouse::edge
