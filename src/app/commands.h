// The gatehouse command line: one function per subcommand, each returning the exit code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "proxy/server.h"

namespace gatehouse::app {

struct RunOptions {
  std::vector<std::string> config_paths;
  unsigned workers = 0;  // 0: one per core
  std::string admin = "127.0.0.1:9901";
  std::string access_log = "-";  // "-" is stdout; "" turns it off
  unsigned header_timeout_seconds = 10;
  unsigned idle_timeout_seconds = 60;
  unsigned jwks_refresh_seconds = 1200;  // RequestAuthentication key sets, as istiod's default
  std::string jwks_ca_file;              // CA bundle for https key sets; empty: system roots
  std::function<void()> on_ready;        // called once every listener is open
};

int run_gateway(const RunOptions& options);
int validate(const std::vector<std::string>& config_paths);
int serve_httpbin(const std::string& listen, unsigned workers);

struct IdpOptions {
  std::vector<std::string> config_paths;  // must hold exactly one IdentityProvider
  std::string listen;                     // overrides spec.listen when set
};
// The built-in development OpenID Provider; runs until SIGINT/SIGTERM. Exit 1 on config errors.
int serve_idp(const IdpOptions& options);
struct DemoOptions {
  std::string seed = "examples/seed";  // the reference setup's YAML
  std::string state_dir = "gatehouse-demo";
  unsigned http_port = 8080;  // each replaces its default in the copied YAML
  unsigned https_port = 8443;
  unsigned idp_port = 9000;
  unsigned httpbin_port = 8000;
  std::string admin = "127.0.0.1:9901";
};
// The built-in httpbin, the built-in IdP and the gateway on the seed, in this process, until
// SIGINT/SIGTERM. Exit 1 when something cannot start, 2 on bad flags.
int demo(const DemoOptions& options);
// Prints a passwordHash for the password on stdin's first line.
int hash_password_command();
// Prints a token's header and payload as JSON, times as dates; verifies nothing.
int token_decode(const std::string& token);

struct TokenVerifyOptions {
  std::string token;
  std::string jwks;                       // a JWKS file or an http(s) URL
  std::vector<std::string> config_paths;  // or: the RequestAuthentication rules of a config
  std::string issuer;                     // required issuer; empty: any (or every rule's)
  std::vector<std::string> audiences;     // accepted audiences; empty: the rule's
  std::string ca_file;                    // for https key sets; empty: the system's roots
};
// Exit 0 when the token verifies, 1 when the gateway would reject it, 2 on usage errors.
int token_verify(const TokenVerifyOptions& options);

struct CheckOptions {
  std::vector<std::string> config_paths;
  std::string request;                  // "METHOD URL"
  std::vector<std::string> headers;     // "Name: value"
  std::string token;                    // a JWT, placed where the workload reads tokens
  std::string claims;                   // or: JSON claims taken as a verified identity
  std::string source_ip = "127.0.0.1";  // the TCP peer
  std::string jwks;                     // a JWKS file standing in for remote key sets
  std::string cases;                    // a YAML file of requests with expected outcomes
};
// Exit 0 when allowed, 1 when denied (401 or 403), 2 on usage or config errors; with --cases,
// 0 when every case passes, 1 when one fails.
int check(const CheckOptions& options);

// "ADDR:PORT" or "[v6]:PORT" -> address; nullopt when malformed.
std::optional<proxy::ListenAddress> parse_listen_address(const std::string& text);
// Blocks SIGINT/SIGTERM/SIGHUP in the calling thread (call first in main, so every
// thread inherits it) and ignores SIGPIPE.
void block_signals();
// Returns on SIGINT or SIGTERM; calls `on_hup` on SIGHUP and `on_tick` about every second.
void wait_for_signals(const std::function<void()>& on_hup = {},
                      const std::function<void()>& on_tick = {});

}  // namespace gatehouse::app
