// Serves the built-in httpbin over the engine: reads the body, asks httpbin::respond,
// waits the asked delay without blocking the worker, answers. One per worker.
#pragma once

#include <random>

#include "proxy/connection.h"

namespace gatehouse::gateway {

class HttpbinService final : public proxy::Service {
 public:
  static constexpr std::size_t kMaxBody = 16 * 1024 * 1024;

  HttpbinService();
  proxy::Task<void> serve(proxy::Exchange& ex) override;
  pathnorm::Mode path_normalization() const override { return pathnorm::Mode::None; }
  void finished(const proxy::Exchange&) override {}

 private:
  std::mt19937_64 random_;
};

}  // namespace gatehouse::gateway
