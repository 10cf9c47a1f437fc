#include "mesh/route_actions.h"

#include <re2/re2.h>

#include <algorithm>

namespace gatehouse::mesh {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::optional<std::string> rewrite_path(const PathRewrite* rewrite, const RequestMatch& match,
                                        std::string_view path) {
  if (rewrite == nullptr) return std::nullopt;
  if (rewrite->regex) {
    std::string out(path);
    if (RE2::GlobalReplace(&out, *rewrite->regex, rewrite->substitution) == 0) return std::nullopt;
    return out;
  }
  auto prefix = match.rewritten_prefix_length();
  if (!prefix) return rewrite->uri;
  std::string out = rewrite->uri;
  out.append(path.substr(std::min(*prefix, path.size())));
  return out;
}

const WeightedCluster& pick(const ForwardAction& action, uint64_t random) {
  if (action.destinations.size() == 1) return action.destinations.front();
  uint64_t point = random % action.total_weight;  // Envoy WeightedClusterEntry selection
  for (const auto& destination : action.destinations) {
    if (point < destination.weight) return destination;
    point -= destination.weight;
  }
  return action.destinations.back();
}

// Envoy processRequestHost: drop the Host's port when a port redirect replaces it, or when
// the scheme changes away from the one whose default port the Host names.
std::string_view redirect_host(std::string_view host, std::string_view new_scheme,
                               std::string_view new_port, std::string_view request_scheme) {
  if (host.empty()) return host;
  std::size_t port_start = std::string_view::npos;
  if (host.front() == '[') {
    port_start = host.rfind("]:");
    if (port_start != std::string_view::npos) ++port_start;
  } else {
    port_start = host.rfind(':');
  }
  if (port_start == std::string_view::npos) return host;
  std::string_view request_port = host.substr(port_start);
  bool remove_port = !new_port.empty();
  if (new_scheme != request_scheme) {
    remove_port |= request_scheme == "https" && request_port == ":443";
    remove_port |= request_scheme == "http" && request_port == ":80";
  }
  return remove_port ? host.substr(0, port_start) : host;
}

// Envoy Http::Utility::newUri for a route redirect.
std::string redirect_location(const RedirectAction& action, const RequestView& request) {
  std::string_view scheme = action.scheme.empty() ? request.scheme : action.scheme;
  std::string_view host =
      action.authority.empty()
          ? redirect_host(request.authority, scheme, action.port_suffix, request.scheme)
          : std::string_view(action.authority);
  std::string_view path = action.uri.empty() ? request.path : std::string_view(action.uri);
  bool keep_query = !action.uri_has_query && !request.query.empty();
  std::string out;
  out.reserve(scheme.size() + 3 + host.size() + action.port_suffix.size() + path.size() + 2 +
              request.query.size());
  out.append(scheme).append("://").append(host).append(action.port_suffix);
  if (!path.starts_with('/')) out.push_back('/');
  out.append(path);
  if (keep_query) out.append("?").append(request.query);
  return out;
}

}  // namespace

RedirectAction make_redirect(const config::HttpRedirect& redirect, uint32_t listener_port,
                             bool listener_tls, const HeaderMutation* response_headers) {
  RedirectAction out;
  out.status = redirect.redirect_code == 0 ? 301 : redirect.redirect_code;
  out.scheme = redirect.scheme;
  out.authority = redirect.authority;
  out.uri = redirect.uri;
  out.uri_has_query = redirect.uri.find('?') != std::string::npos;
  out.response_headers = response_headers;
  uint32_t port = 0;
  if (redirect.port) {
    port = *redirect.port;
  } else if (redirect.derive_port == "FROM_REQUEST_PORT") {
    port = listener_port;  // Envoy cannot derive it; Istio builds routes per listener port
  }
  if (redirect.port || !redirect.derive_port.empty()) {
    std::string_view scheme = !redirect.scheme.empty() ? std::string_view(redirect.scheme)
                              : listener_tls           ? "https"
                                                       : "http";
    if ((port == 80 && scheme == "http") || (port == 443 && scheme == "https")) port = 0;
  }
  if (port != 0) out.port_suffix = std::string(":").append(std::to_string(port));
  return out;
}

Decision decide(const Route& route, const RequestView& request, uint64_t random) {
  RouteOrigin origin{route.name, route.virtual_service};
  return std::visit(Overloaded{
                        [&](const ForwardAction& action) -> Decision {
                          const WeightedCluster& chosen = pick(action, random);
                          return Forward{
                              .cluster = chosen.cluster,
                              .path = rewrite_path(action.rewrite, *route.match, request.path),
                              .authority = chosen.authority,
                              .request_headers = &chosen.request_headers,
                              .response_headers = &chosen.response_headers,
                              .timeout = action.timeout,
                              .retry = action.retry,
                              .origin = origin};
                        },
                        [&](const RedirectAction& action) -> Decision {
                          return Redirect{.status = action.status,
                                          .location = redirect_location(action, request),
                                          .response_headers = action.response_headers,
                                          .origin = origin};
                        },
                        [&](const DirectResponseAction& action) -> Decision {
                          return DirectResponse{.status = action.status,
                                                .body = action.body,
                                                .response_headers = action.response_headers,
                                                .origin = origin};
                        },
                    },
                    route.action);
}

std::string https_redirect_location(const RequestView& request) {
  std::string out;
  out.reserve(8 + request.authority.size() + request.path.size() + 1 + request.query.size());
  out.append("https://").append(request.authority).append(request.path);
  if (!request.query.empty()) out.append("?").append(request.query);
  return out;
}

}  // namespace gatehouse::mesh
