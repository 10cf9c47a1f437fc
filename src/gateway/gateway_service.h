// The gateway's request path on one worker: listener rules, then a target group
// (addresses, or the in-process Istio gateway), then the upstream. Holds the worker's
// connection pool, balancer state and access-log buffer. Used only on its worker thread.
#pragma once

#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "gateway/mesh_verdict.h"
#include "gateway/runtime.h"
#include "gateway/session_cache.h"
#include "keys/http_get.h"
#include "oidc/identity.h"
#include "oidc/token.h"
#include "oidc/userinfo.h"
#include "proxy/connection.h"
#include "proxy/upstream_pool.h"
#include "session/session.h"
#include "telemetry/worker_metrics.h"

namespace gatehouse::gateway {

// Where access-log lines go: a file descriptor shared by all workers; each worker
// batches its lines and writes them with one write(2) call (no lock between workers).
struct AccessLogSink {
  int fd = -1;  // -1: off
};

class GatewayService final : public proxy::Service {
 public:
  // `idle_timeout` also bounds silence from upstreams, as ALB's idle timeout does both legs.
  GatewayService(proxy::Worker& worker, telemetry::WorkerMetrics& metrics, AccessLogSink sink,
                 std::chrono::milliseconds idle_timeout);
  ~GatewayService() override;

  // Switches to a new snapshot; requests already running finish on the one they started with.
  void set_runtime(std::shared_ptr<const Runtime> runtime);
  // A key set the JWKS fetcher obtained; posted to this worker's thread.
  void update_keys(const std::string& source, const authn::KeySet& keys) { keys_[source] = keys; }
  // Asks the fetcher for a key source again (a token named a key it lacks); thread-safe.
  void set_refetch(std::function<void(const std::string&)> refetch) {
    refetch_ = std::move(refetch);
  }
  // How the login's back channel (token and userinfo endpoints) verifies https peers.
  void set_back_channel_tls(std::shared_ptr<const keys::TlsClient> tls) {
    back_channel_tls_ = std::move(tls);
  }

  proxy::Task<void> serve(proxy::Exchange& ex) override;
  pathnorm::Mode path_normalization() const override;
  void finished(const proxy::Exchange& ex) override;

 private:
  // `explain_header`: when not empty, the authorization explanation goes back in it.
  proxy::Task<void> forward_to_cluster(proxy::Exchange& ex, const Runtime& rt, uint32_t cluster,
                                       const mesh::Forward* route,
                                       std::string_view explain_header = {});
  proxy::Task<void> serve_mesh(proxy::Exchange& ex, const Runtime& rt, uint16_t port);
  void add_forwarding_headers(proxy::Exchange& ex);
  // Records the verdict's authentication and authorization and answers a rejection. False
  // when the request was rejected (the answer is sent). Sets `explain_header` when the
  // caller may see the explanation.
  proxy::Task<bool> admit(proxy::Exchange& ex, const Runtime& rt, const MeshVerdict& verdict,
                          std::string_view& explain_header);
  void flush_access_log();

  // authenticate-oidc (gateway_login.cc, gateway_session.cc). serve_login_paths answers the
  // callback and logout paths of the listener's logins (true when it did); authenticate runs
  // a rule's login and is false when it answered (a redirect to log in, an error).
  proxy::Task<bool> serve_login_paths(proxy::Exchange& ex, const ListenerRuntime& listener);
  proxy::Task<bool> authenticate(proxy::Exchange& ex, const EdgeLogin& login);
  proxy::Task<void> serve_callback(proxy::Exchange& ex, const ListenerRuntime& listener);
  proxy::Task<void> serve_logout(proxy::Exchange& ex, const EdgeLogin& login);
  proxy::Task<void> redirect_to_login(proxy::Exchange& ex, const EdgeLogin& login,
                                      std::int64_t now);
  proxy::Task<void> answer_login_error(proxy::Exchange& ex, const oidc::Error& error);
  proxy::Task<oidc::Result<oidc::TokenResponse>> call_token_endpoint(const EdgeLogin& login,
                                                                     oidc::TokenRequest request,
                                                                     oidc::Grant grant);
  proxy::Task<oidc::Result<oidc::Userinfo>> call_userinfo(const EdgeLogin& login,
                                                          std::string_view access_token,
                                                          std::string_view subject);
  // True when the session got a new access token (and its new cookies are on the answer).
  proxy::Task<bool> refresh_session(proxy::Exchange& ex, const EdgeLogin& login,
                                    session::Session& session, std::int64_t now);
  session::Status add_session_cookies(proxy::Exchange& ex, const EdgeLogin& login,
                                      session::Session& session);
  void strip_gateway_cookies(proxy::Exchange& ex, const EdgeLogin& login);

  proxy::Worker& worker_;
  telemetry::WorkerMetrics& metrics_;
  AccessLogSink sink_;
  std::chrono::milliseconds idle_timeout_;
  std::string log_buffer_;
  std::shared_ptr<const Runtime> runtime_;
  proxy::UpstreamPool pool_;
  std::vector<uint64_t> round_robin_;  // per cluster of runtime_
  std::mt19937_64 random_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  authn::KeyTable keys_;
  authn::TokenCache token_cache_;
  std::function<void(const std::string&)> refetch_;
  oidc::DataTokenCache data_tokens_;
  SessionCache sessions_;
  std::shared_ptr<const keys::TlsClient> back_channel_tls_;
};

}  // namespace gatehouse::gateway
