// Serves the built-in development OpenID Provider over the engine: turns an exchange into an
// idp::Request, adds the clock and RAND_bytes entropy, asks the provider, answers. One service
// per worker; all share one provider behind a mutex (its stores change on every login).
#pragma once

#include <memory>
#include <mutex>

#include "idp/idp.h"
#include "proxy/connection.h"

namespace gatehouse::gateway {

struct SharedProvider {
  explicit SharedProvider(idp::Provider p) : provider(std::move(p)) {}
  std::mutex mutex;
  idp::Provider provider;  // GUARDED_BY(mutex)
};

class IdpService final : public proxy::Service {
 public:
  explicit IdpService(std::shared_ptr<SharedProvider> shared) : shared_(std::move(shared)) {}
  proxy::Task<void> serve(proxy::Exchange& ex) override;
  // Endpoints are exact paths; the provider refuses anything else with 404.
  pathnorm::Mode path_normalization() const override { return pathnorm::Mode::None; }
  void finished(const proxy::Exchange&) override {}

 private:
  std::shared_ptr<SharedProvider> shared_;
};

}  // namespace gatehouse::gateway
