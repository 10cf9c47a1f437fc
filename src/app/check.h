// `gatehouse check`: a request run through the gateway's own listener rules, routing,
// RequestAuthentication and AuthorizationPolicy code without any network, reported step by
// step. Shared by the single-request form and the --cases file runner.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "authn/key_table.h"
#include "gateway/runtime.h"

namespace gatehouse::app {

struct CheckRequest {
  std::string method = "GET";
  std::string url;                                           // http(s)://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;  // as given
  std::string token;                                         // placed where the workload reads it
  std::string claims;                                        // JSON: an identity taken on trust
  std::string source_ip = "127.0.0.1";
};

struct CheckResult {
  std::vector<std::pair<std::string, std::string>> steps;  // (what, outcome), in order
  std::optional<unsigned> status;  // the answer gatehouse makes itself; none when forwarded
  bool denied = false;             // rejected by RequestAuthentication or AuthorizationPolicy
  bool refused = false;  // refused before any policy: malformed request or path (400, 431)
  std::string policy;    // the AuthorizationPolicy rule's policy that decided, if any
  std::string error;     // the request itself is unusable (bad URL, no listener)
};

// Keys for RequestAuthentication: the configuration's inline key sets, and `jwks_text` (a
// JWKS document, may be empty) standing in for every remote key source.
std::optional<authn::KeyTable> check_keys(const gateway::Runtime& rt, const std::string& jwks_text,
                                          std::string& error);

// "forwarded", or the status with "denied" (401/403 from policy) or "refused" (400/431).
std::string result_text(const CheckResult& result);

CheckResult check_request(const gateway::Runtime& rt, const authn::KeyTable& keys,
                          const CheckRequest& request);

// Runs the cases of a YAML file against `rt`, printing one line per case; exit code 0 when
// every case passed, 1 when one failed, 2 when the file is unusable.
int run_check_cases(const gateway::Runtime& rt, const authn::KeyTable& keys,
                    const std::string& path);

}  // namespace gatehouse::app
