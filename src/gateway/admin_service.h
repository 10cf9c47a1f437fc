// The admin listener (default 127.0.0.1:9901): /ready, /healthz, /config_dump (the live
// resources as JSON, secrets redacted), /targets (target health, as ALB reports it),
// /stats/prometheus and /public-keys/{kid} (the PEM that verifies x-amzn-oidc-data). Not on
// the request path: it takes a mutex to read the current snapshot.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/runtime.h"
#include "proxy/connection.h"
#include "telemetry/metrics_registry.h"

namespace gatehouse::gateway {

// What the admin pages show; written by the control thread, read by the admin thread.
class AdminState {
 public:
  explicit AdminState(telemetry::MetricsRegistry& metrics) : metrics_(metrics) {}
  void set_runtime(std::shared_ptr<const Runtime> runtime);
  void set_ready(bool ready);
  std::shared_ptr<const Runtime> runtime() const;
  bool ready() const;
  telemetry::MetricsRegistry& metrics() { return metrics_; }
  // The /targets page (the health checker's JSON); set before the admin listener starts.
  void set_targets_page(std::function<std::string()> render) { targets_page_ = std::move(render); }
  std::string targets_page() const;

 private:
  telemetry::MetricsRegistry& metrics_;
  std::function<std::string()> targets_page_;  // fixed before serving
  mutable std::mutex mutex_;
  std::shared_ptr<const Runtime> runtime_;  // GUARDED_BY(mutex_)
  bool ready_ = false;                      // GUARDED_BY(mutex_)
};

class AdminService final : public proxy::Service {
 public:
  explicit AdminService(AdminState& state) : state_(state) {}
  proxy::Task<void> serve(proxy::Exchange& ex) override;
  pathnorm::Mode path_normalization() const override { return pathnorm::Mode::Base; }
  void finished(const proxy::Exchange&) override {}

 private:
  proxy::LocalResponse answer(std::string_view path) const;
  proxy::LocalResponse public_key(std::string_view kid) const;
  AdminState& state_;
};

// The loaded files as JSON: {"files":[{"name":..., "resources":[...]}]}, with the values of
// secret-looking keys (secret, password, token, privateKey) replaced by "[redacted]".
std::string config_dump_json(const std::vector<config::SourceFile>& files);

}  // namespace gatehouse::gateway
