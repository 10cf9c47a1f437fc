// First compile stage: each VirtualService on its own, independent of gateway and port.
// Checks and compiles regexes, header operations, retries, rewrites and redirect settings,
// and resolves host and gateway names. Internal to the mesh module.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/loader.h"
#include "config/resources.h"
#include "mesh/decision.h"
#include "mesh/request_match.h"

namespace re2 {
class RE2;
}

namespace gatehouse::mesh {

// Istio HTTPRewrite for the path: `uri` (prefix or whole-path replacement, see
// RequestMatch::rewritten_prefix_length) or `uriRegexRewrite` (RE2 GlobalReplace).
struct PathRewrite {
  std::string uri;
  std::shared_ptr<const re2::RE2> regex;  // set for uriRegexRewrite
  std::string substitution;               // "\1"-style groups
};

// One level (route or destination) of Istio `headers`, translated as Istio does: names
// lower-cased, `set` then `add` each sorted by name, pseudo-headers and `host` dropped, a
// `host`/`:authority` value kept apart as the authority rewrite (`set` wins over `add`).
struct TranslatedHeaders {
  HeaderMutation request, response;
  std::string authority;
};
TranslatedHeaders translate_headers(const config::Headers& headers);

struct CompiledMatch {
  RequestMatch match;
  std::string route_name;             // HTTPRoute name, "." match name appended when set
  std::optional<uint32_t> port;       // listener port filter
  std::vector<std::string> gateways;  // resolved "ns/name"; empty: the VS-level list applies
};

struct CompiledDestination {
  config::Destination destination;  // host short name expanded, lower-cased
  uint32_t weight = 0;
  TranslatedHeaders headers;
};

struct CompiledHttpRoute {
  enum class Action { Forward, Redirect, DirectResponse, Dropped };
  Action action = Action::Forward;
  bool has_match_blocks = false;       // false: a single unconditional match (a catch-all)
  std::vector<CompiledMatch> matches;  // never empty
  config::SourceLocation where;
  TranslatedHeaders headers;
  // Forward
  std::vector<CompiledDestination> destinations;  // weight-0 entries dropped when several
  std::optional<PathRewrite> rewrite;
  std::string rewrite_authority;
  config::Millis timeout{0};
  std::optional<RetryPolicy> retry;  // nullopt: attempts 0
  // Redirect / DirectResponse
  config::HttpRedirect redirect;
  config::DirectResponse direct_response;
};

struct CompiledVirtualService {
  std::string id;  // "VirtualService/ns/name"
  std::string namespace_;
  std::vector<std::string> hosts;     // lower-case, short names expanded
  std::vector<std::string> gateways;  // resolved "ns/name"; "mesh" dropped
  std::vector<CompiledHttpRoute> http;
};

// Compiles `vs`; every problem is appended to `errors` (then the result is meaningless).
// `gateway_ids` holds "ns/name" of every Gateway, to check references.
CompiledVirtualService compile_virtual_service(const config::VirtualService& vs,
                                               const std::set<std::string>& gateway_ids,
                                               std::vector<config::Error>& errors);

// Appends an error located at `where` for resource `resource`.
void add_error(std::vector<config::Error>& errors, const config::SourceLocation& where,
               std::string resource, std::string message);

}  // namespace gatehouse::mesh
