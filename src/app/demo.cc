// `gatehouse demo`: the reference setup (ALB + Istio + Okta) on one laptop, in one process:
// the built-in httpbin, the built-in IdP and the gateway, all from the seed's YAML.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <set>
#include <sstream>

#include "app/commands.h"
#include "app/demo_state.h"
#include "app/started_server.h"

namespace gatehouse::app {
namespace {

void say(const std::string& line) { std::cerr << "gatehouse demo: " << line << std::endl; }

bool valid_port(unsigned port) { return port >= 1 && port <= 65535; }

// Why `address` cannot be bound, or empty. gatehouse's servers bind with SO_REUSEPORT, so a
// second demo would share the first one's ports silently; this probe does not set it, and
// fails on any listener there, gatehouse's included.
std::string bind_problem(const proxy::ListenAddress& address) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(address.port);
  if (inet_pton(AF_INET, address.address.c_str(), &in.sin_addr) != 1) return {};
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  std::string problem;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&in), sizeof in) != 0)
    problem = std::strerror(errno);
  ::close(fd);
  return problem;
}

// Every port the demo will listen on, free; else says which flag moves the busy one.
bool ports_free(const DemoOptions& options) {
  std::vector<std::pair<proxy::ListenAddress, std::string>> wanted = {
      {{"127.0.0.1", static_cast<uint16_t>(options.http_port)}, "--http-port"},
      {{"127.0.0.1", static_cast<uint16_t>(options.https_port)}, "--https-port"},
      {{"127.0.0.1", static_cast<uint16_t>(options.idp_port)}, "--idp-port"},
      {{"127.0.0.1", static_cast<uint16_t>(options.httpbin_port)}, "--httpbin-port"}};
  if (auto admin = parse_listen_address(options.admin)) wanted.push_back({*admin, "--admin"});
  bool free = true;
  for (const auto& [address, flag] : wanted) {
    const std::string problem = bind_problem(address);
    if (problem.empty()) continue;
    say("cannot listen on " + address.address + ":" + std::to_string(address.port) + ": " +
        problem + " (another gatehouse demo?); choose another port with " + flag);
    free = false;
  }
  return free;
}

// What to open and what to expect, printed once everything listens.
std::string banner(const DemoOptions& options, const std::string& issuer,
                   const std::vector<std::string>& files) {
  const std::string https = "https://localhost:" + std::to_string(options.https_port);
  const std::string http = "http://localhost:" + std::to_string(options.http_port);
  std::ostringstream out;
  out << "\n"
      << "gatehouse demo: the reference setup (ALB + Istio + Okta) in one process\n"
      << "  configuration  " << options.state_dir << "/ (the " << files.size() << " files of "
      << options.seed << ", ports substituted; edits reload live)\n"
      << "\n"
      << "Open in a browser (the certificate is self-signed: the browser warns; accept it):\n"
      << "  " << https << "/headers     log in at the IdP, then httpbin echoes what it got\n"
      << "  " << https << "/status/200  the health path: answers without login\n"
      << "  " << https << "/logout      ends the session (log out before switching users)\n"
      << "  " << http << "/             redirects (301) to " << https << "/\n"
      << "\n"
      << "Users at the IdP's login form:\n"
      << "  alice / alice  group httpbin: /headers shows her X-Amzn-Oidc-Accesstoken (a JWT)\n"
      << "  bob / bob      not in group httpbin: 403 RBAC: access denied\n"
      << "\n"
      << "Also running:\n"
      << "  IdP      " << issuer << " (built-in, development only)\n"
      << "  httpbin  http://127.0.0.1:" << options.httpbin_port << " (the upstream)\n";
  if (!options.admin.empty())
    out << "  admin    http://" << options.admin << " (/ready /config_dump /stats/prometheus)\n";
  out << "\nEach request is logged below as one JSON line. Ctrl-C stops everything.\n\n";
  return out.str();
}

}  // namespace

int demo(const DemoOptions& options) {
  const unsigned ports[] = {options.http_port, options.https_port, options.idp_port,
                            options.httpbin_port};
  for (unsigned port : ports) {
    if (!valid_port(port)) {
      say("ports must be 1-65535, got " + std::to_string(port));
      return 2;
    }
  }
  if (std::set<unsigned>(std::begin(ports), std::end(ports)).size() != std::size(ports)) {
    say("--http-port, --https-port, --idp-port and --httpbin-port must differ");
    return 2;
  }
  if (!ports_free(options)) return 1;
  const DemoPorts chosen{
      static_cast<uint16_t>(options.http_port), static_cast<uint16_t>(options.https_port),
      static_cast<uint16_t>(options.idp_port), static_cast<uint16_t>(options.httpbin_port)};
  DemoState state = prepare_demo_state(options.seed, options.state_dir, chosen);
  for (const auto& error : state.errors) say(error);
  if (!state.errors.empty()) {
    say("cannot prepare " + options.state_dir + "; not starting");
    return 1;
  }

  StartOutcome httpbin =
      start_httpbin("127.0.0.1:" + std::to_string(options.httpbin_port), /*workers=*/1);
  if (!httpbin.server) {
    say("the built-in httpbin cannot start; another port: --httpbin-port");
    return httpbin.exit_code;
  }
  // The gateway fetches the IdP's discovery document and keys as it starts: IdP first.
  StartOutcome idp = start_idp(IdpOptions{state.config_files, ""});
  if (!idp.server) {
    say("the built-in IdP cannot start; another port: --idp-port");
    return idp.exit_code;
  }

  RunOptions run;
  run.config_paths = state.config_files;
  run.admin = options.admin;
  run.on_ready = [&] {
    std::cout << banner(options, idp.issuer, state.config_files) << std::flush;
  };
  const int exit_code = run_gateway(run);
  if (exit_code != 0)
    say("the gateway cannot start; other ports: --http-port, --https-port, --admin");
  idp.server->stop(std::chrono::seconds(1));
  httpbin.server->stop(std::chrono::seconds(1));
  return exit_code;
}

}  // namespace gatehouse::app
