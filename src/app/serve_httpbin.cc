#include <iostream>

#include "app/commands.h"
#include "app/started_server.h"
#include "gateway/httpbin_service.h"

namespace gatehouse::app {

StartOutcome start_httpbin(const std::string& listen, unsigned workers) {
  StartOutcome outcome;
  outcome.listen = listen;
  auto address = parse_listen_address(listen);
  if (!address) {
    std::cerr << "gatehouse httpbin: --listen wants ADDR:PORT, got \"" << listen << "\"\n";
    outcome.exit_code = 2;
    return outcome;
  }
  auto server = std::make_unique<proxy::Server>(
      workers, proxy::ConnectionSettings{},
      [](proxy::Worker&) { return std::make_unique<gateway::HttpbinService>(); });
  if (auto errors = server->listen({{*address, nullptr}}); !errors.empty()) {
    for (const auto& e : errors) std::cerr << "gatehouse httpbin: cannot listen on " << e << "\n";
    outcome.exit_code = 1;
    return outcome;
  }
  server->start();
  std::cerr << "gatehouse httpbin: listening on " << listen << "\n";
  outcome.server.emplace(std::move(server));
  return outcome;
}

int serve_httpbin(const std::string& listen, unsigned workers) {
  StartOutcome started = start_httpbin(listen, workers);
  if (!started.server) return started.exit_code;
  wait_for_signals();
  started.server->stop(std::chrono::seconds(5));
  return 0;
}

}  // namespace gatehouse::app
