// What the mesh router decides for one request: forward to a cluster (with the rewrites and
// header operations to apply), redirect, reply directly, or 404. Views and pointers in a
// Decision point into the Router that produced it and stay valid while that Router lives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/resources.h"
#include "mesh/cluster.h"

namespace gatehouse::mesh {

struct HeaderWrite {
  std::string name;  // lower-case
  std::string value;
  // false: replace every value of the header (or add it); true: append to the existing value
  // as a comma-separated list (or add it). Istio `set` and `add`.
  bool append = false;
};

// Header operations in the order to apply them: every `remove` first, then `write` in order.
// Route-level operations come before destination-level ones, so a destination's `set` wins.
// Pseudo-headers and `host` never appear here: a `host`/`:authority` write becomes
// Forward::authority instead.
struct HeaderMutation {
  std::vector<std::string> remove;  // lower-case names
  std::vector<HeaderWrite> write;
  bool empty() const { return remove.empty() && write.empty(); }
};

// Envoy retry policy as Istio configures it.
struct RetryPolicy {
  uint32_t attempts = 2;              // retries after the first try: at most 1 + attempts requests
  config::Millis per_try_timeout{0};  // 0: the route timeout bounds all tries
  std::vector<std::string> retry_on;  // Envoy conditions: connect-failure, 5xx, ...
  std::vector<uint32_t> retriable_status_codes;  // used with "retriable-status-codes"
  config::Millis base_backoff{25};
  uint32_t host_selection_max_attempts = 5;  // retries prefer hosts not tried yet
};

// Names for access logs and explanations.
struct RouteOrigin {
  std::string_view route;            // HTTPRoute name, "." match name appended; may be empty
  std::string_view virtual_service;  // "VirtualService/ns/name"
};

struct Forward {
  const Cluster* cluster = nullptr;  // never null
  // The new path (without the query) when the route rewrites it; the engine keeps the query.
  std::optional<std::string> path;
  std::string_view authority;  // the new Host when the route rewrites it; empty otherwise
  const HeaderMutation* request_headers = nullptr;   // never null; applied after authorization
  const HeaderMutation* response_headers = nullptr;  // never null; applied on the way back
  config::Millis timeout{0};                         // 0: no timeout (Istio's default)
  const RetryPolicy* retry = nullptr;                // null: retries disabled (attempts: 0)
  RouteOrigin origin;
};

struct Redirect {
  uint32_t status = 301;  // 301, 302, 303, 307 or 308
  std::string location;
  const HeaderMutation* response_headers = nullptr;  // never null
  RouteOrigin origin;
};

struct DirectResponse {
  uint32_t status = 200;
  std::string_view body;
  const HeaderMutation* response_headers = nullptr;  // never null
  RouteOrigin origin;
};

// The virtual host requires TLS (Gateway server `tls.httpsRedirect`) and the request came in
// plain: answer 301 with this Location ("https://" + Host as sent + path + query).
struct HttpsRedirect {
  std::string location;
};

// No virtual host for the Host, or no route matched: 404 with an empty body.
struct NotFound {};

using Decision = std::variant<Forward, Redirect, DirectResponse, HttpsRedirect, NotFound>;

// The status the gateway answers with itself for a decision other than Forward: the
// redirect's or the direct response's, 301 for an HTTPS redirect, 404 when nothing matched;
// 0 for a Forward.
inline uint32_t local_status(const Decision& decision) {
  if (const auto* redirect = std::get_if<Redirect>(&decision)) return redirect->status;
  if (const auto* direct = std::get_if<DirectResponse>(&decision)) return direct->status;
  if (std::holds_alternative<HttpsRedirect>(decision)) return 301;
  if (std::holds_alternative<NotFound>(decision)) return 404;
  return 0;
}

}  // namespace gatehouse::mesh
