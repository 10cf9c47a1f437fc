#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "app/commands.h"
#include "app/config_files.h"
#include "gateway/admin_service.h"
#include "gateway/gateway_service.h"
#include "gateway/health_targets.h"
#include "gateway/jwks_metrics.h"
#include "health/report.h"
#include "jose/status.h"
#include "keys/jwks_fetcher.h"

namespace gatehouse::app {
namespace {

using gateway::GatewayService;
using gateway::Runtime;

void say(const std::string& line) { std::cerr << "gatehouse: " << line << std::endl; }

// Loads the whole config; on any problem logs every error and returns null.
std::shared_ptr<const Runtime> load(const std::vector<std::string>& paths,
                                    telemetry::MetricsRegistry& metrics, std::string& fingerprint) {
  ConfigFiles files = read_config_files(paths);
  fingerprint = files.fingerprint;
  for (const auto& e : files.errors) say(e);
  if (!files.errors.empty()) return nullptr;
  auto built = Runtime::build(std::move(files.files), &metrics);
  for (const auto& e : built.errors) say(e);
  for (const auto& w : built.warnings) say(w);
  return built.runtime;
}

int open_access_log(const std::string& where) {
  if (where.empty()) return -1;
  if (where == "-") return STDOUT_FILENO;
  return ::open(where.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

}  // namespace

int run_gateway(const RunOptions& options) {
  const unsigned workers = options.workers ? options.workers : std::thread::hardware_concurrency();
  telemetry::MetricsRegistry metrics(std::max(1u, workers));
  std::string fingerprint;
  auto runtime = load(options.config_paths, metrics, fingerprint);
  if (!runtime) {
    say("the configuration has errors; not starting");
    return 1;
  }
  const gateway::AccessLogSink sink{open_access_log(options.access_log)};
  if (!options.access_log.empty() && sink.fd < 0) {
    say("cannot open access log " + options.access_log);
    return 1;
  }

  proxy::ConnectionSettings settings;
  settings.header_timeout = std::chrono::seconds(options.header_timeout_seconds);
  settings.idle_timeout = std::chrono::seconds(options.idle_timeout_seconds);
  proxy::Server server(
      workers, settings,
      [&](proxy::Worker& w) {
        return std::make_unique<GatewayService>(w, metrics.worker(w.index()), sink,
                                                settings.idle_timeout);
      },
      &metrics);
  // Target health: probed on the checker's thread, read by workers from the tables of their
  // snapshot. A snapshot's tables get the states of the targets that stay before workers
  // see it. Started after the workers, stopped before them, like the JWKS fetcher.
  health::HealthChecker checker;
  auto publish = [&](std::shared_ptr<const Runtime> rt) {
    checker.set_groups(gateway::health_groups(rt));
    server.on_each_worker([&](proxy::Worker&, proxy::Service& s) {
      static_cast<GatewayService&>(s).set_runtime(rt);
    });
  };
  publish(runtime);
  metrics.add_section(
      [&checker](std::string& out) { health::append_health_metrics(checker.snapshot(), out); });

  // Key sets for RequestAuthentication: fetched on the fetcher's thread, handed to every
  // worker on its own thread. Started after the workers, stopped before them (a publish
  // waits for every worker).
  keys::Settings key_settings;
  key_settings.refresh = std::chrono::seconds(options.jwks_refresh_seconds);
  key_settings.ca_file = options.jwks_ca_file;
  keys::JwksFetcher fetcher(key_settings,
                            [&](const std::string& source, const authn::KeySet& keys) {
                              server.on_each_worker([&](proxy::Worker&, proxy::Service& s) {
                                static_cast<GatewayService&>(s).update_keys(source, keys);
                              });
                            });
  // The login's back channel trusts what the key fetcher trusts (--jwks-ca-file).
  auto back_channel =
      std::make_shared<const keys::TlsClient>(keys::make_tls_client(options.jwks_ca_file));
  server.on_each_worker([&](proxy::Worker&, proxy::Service& s) {
    auto& service = static_cast<GatewayService&>(s);
    service.set_refetch([&fetcher](const std::string& source) { fetcher.request_refetch(source); });
    service.set_back_channel_tls(back_channel);
  });
  std::vector<std::string> jwt_results;
  for (jose::Status status : jose::kAllStatuses)
    jwt_results.emplace_back(jose::status_name(status));
  metrics.set_jwt_result_names(std::move(jwt_results));
  metrics.add_section([&fetcher](std::string& out) {
    gateway::append_jwks_metrics(fetcher.snapshot(), std::chrono::system_clock::now(), out);
  });
  fetcher.set_sources(runtime->key_sources());
  for (const auto& e : server.listen(runtime->listen_addresses())) {
    say("cannot listen on " + e);
    return 1;
  }

  gateway::AdminState admin_state(metrics);
  admin_state.set_runtime(runtime);
  admin_state.set_targets_page([&checker] { return health::targets_json(checker.snapshot()); });
  std::optional<proxy::Server> admin;
  if (!options.admin.empty()) {
    auto address = parse_listen_address(options.admin);
    if (!address) {
      say("--admin wants ADDR:PORT, got \"" + options.admin + "\"");
      return 2;
    }
    admin.emplace(1, settings, [&](proxy::Worker&) {
      return std::make_unique<gateway::AdminService>(admin_state);
    });
    for (const auto& e : admin->listen({{*address, nullptr}})) {
      say("cannot listen on " + e + " (admin)");
      return 1;
    }
    admin->start();
  }
  server.start();
  fetcher.start();
  checker.start();
  admin_state.set_ready(true);
  for (const auto& [a, tls] : runtime->listen_addresses())
    say("listening on " + a.address + ":" + std::to_string(a.port) + (tls ? " (HTTPS)" : ""));
  if (options.on_ready) options.on_ready();
  // The serving snapshot's certificate and key files are watched too, so renewed files
  // (rewritten in place, then SIGHUP or not) reload; a refused reload stamps them as well,
  // so a half-written pair is retried when the next file changes, not every second.
  std::vector<std::string> certificate_files = runtime->certificate_files();
  std::string certificates = config_fingerprint(certificate_files);

  auto reload = [&] {
    std::string new_fingerprint;
    auto next = load(options.config_paths, metrics, new_fingerprint);
    fingerprint = new_fingerprint;
    if (next) certificate_files = next->certificate_files();
    certificates = config_fingerprint(certificate_files);
    if (!next) {
      metrics.record_config_reload(telemetry::ReloadOutcome::Error);
      say("config reload refused; the previous configuration keeps serving");
      return;
    }
    publish(next);
    fetcher.set_sources(next->key_sources());
    for (const auto& e : server.listen(next->listen_addresses())) say("cannot listen on " + e);
    admin_state.set_runtime(next);
    metrics.record_config_reload(telemetry::ReloadOutcome::Ok);
    say("config reloaded");
  };
  auto watch = [&] {
    if (config_fingerprint(options.config_paths) != fingerprint ||
        config_fingerprint(certificate_files) != certificates)
      reload();
  };
  wait_for_signals(reload, watch);

  say("draining");
  admin_state.set_ready(false);
  checker.stop();
  fetcher.stop();
  server.drain_and_stop(std::chrono::seconds(10));
  if (admin) admin->drain_and_stop(std::chrono::milliseconds(0));
  return 0;
}

}  // namespace gatehouse::app
