// Servers the app starts in the background: the built-in httpbin and the built-in IdP, each
// owning its proxy::Server, so `gatehouse httpbin`/`idp` serve one alone and `gatehouse demo`
// runs both next to the gateway in one process. Start and stop from one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "proxy/server.h"

namespace gatehouse::app {

// A started server, serving on its own threads until stop() or destruction.
class StartedServer {
 public:
  explicit StartedServer(std::unique_ptr<proxy::Server> server) : server_(std::move(server)) {}
  StartedServer(StartedServer&&) noexcept = default;
  StartedServer& operator=(StartedServer&&) noexcept = default;
  ~StartedServer() { stop(std::chrono::milliseconds(0)); }

  // Stops accepting, lets exchanges in flight finish for up to `grace`, then stops.
  void stop(std::chrono::milliseconds grace) {
    if (server_) server_->drain_and_stop(grace);
    server_.reset();
  }

 private:
  std::unique_ptr<proxy::Server> server_;
};

// What a start gives: the running server, or the exit code to end with (1: could not start,
// 2: bad usage) after the reasons were printed.
struct StartOutcome {
  std::optional<StartedServer> server;
  int exit_code = 0;
  std::string issuer;  // start_idp only: the provider's issuer
  std::string listen;  // the ADDR:PORT it listens on
};

// The built-in httpbin on `listen`; messages start with `gatehouse httpbin: `.
StartOutcome start_httpbin(const std::string& listen, unsigned workers);
// The built-in IdP from the config's one IdentityProvider; messages start with `gatehouse idp: `.
StartOutcome start_idp(const IdpOptions& options);

}  // namespace gatehouse::app
