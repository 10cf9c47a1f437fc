#include <iostream>

#include "app/commands.h"
#include "gateway/httpbin_service.h"

namespace gatehouse::app {

int serve_httpbin(const std::string& listen, unsigned workers) {
  auto address = parse_listen_address(listen);
  if (!address) {
    std::cerr << "gatehouse httpbin: --listen wants ADDR:PORT, got \"" << listen << "\"\n";
    return 2;
  }
  proxy::Server server(workers, proxy::ConnectionSettings{},
                       [](proxy::Worker&) { return std::make_unique<gateway::HttpbinService>(); });
  if (auto errors = server.listen({{*address, nullptr}}); !errors.empty()) {
    for (const auto& e : errors) std::cerr << "gatehouse httpbin: cannot listen on " << e << "\n";
    return 1;
  }
  server.start();
  std::cerr << "gatehouse httpbin: listening on " << listen << "\n";
  wait_for_signals();
  server.drain_and_stop(std::chrono::seconds(5));
  return 0;
}

}  // namespace gatehouse::app
