#include "gateway/gateway_service.h"

#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "edge/actions.h"
#include "proxy/forwarded_headers.h"
#include "telemetry/access_log.h"

namespace gatehouse::gateway {
namespace {

namespace asio = boost::asio;
using telemetry::ResponseFlag;
constexpr std::size_t kLogFlushBytes = 16 * 1024;
constexpr std::size_t kMaxAttempts = 6;

void apply_edits(const mesh::HeaderMutation& edits, http1::Fields& fields) {
  for (const auto& name : edits.remove) fields.erase(name);
  for (const auto& w : edits.write) {
    auto existing = fields.get(w.name);
    if (w.append && existing) {
      std::string joined(*existing);
      joined.append(",").append(w.value);
      fields.set(w.name, joined);
    } else {
      fields.set(w.name, w.value);
    }
  }
}

proxy::LocalResponse local(unsigned status, std::string body = {},
                           const mesh::HeaderMutation* edits = nullptr) {
  auto res = proxy::make_local_response(status, std::move(body));
  if (res.body.empty()) res.headers.erase("Content-Type");
  if (edits) apply_edits(*edits, res.headers);
  return res;
}

}  // namespace

GatewayService::GatewayService(proxy::Worker& worker, telemetry::WorkerMetrics& metrics,
                               AccessLogSink sink, std::chrono::milliseconds idle_timeout)
    : worker_(worker),
      metrics_(metrics),
      sink_(sink),
      idle_timeout_(idle_timeout),
      random_(std::random_device{}()) {
  if (sink_.fd < 0) return;
  // Lines are batched per worker; this flushes what a quiet period leaves behind.
  auto flusher = [](GatewayService* self, std::weak_ptr<bool> alive) -> proxy::Task<void> {
    proxy::Timer timer(co_await asio::this_coro::executor);
    for (;;) {
      timer.expires_after(std::chrono::milliseconds(200));
      co_await timer.async_wait(proxy::use_tuple);
      if (alive.expired()) co_return;
      self->flush_access_log();
    }
  };
  asio::co_spawn(worker_.io(), flusher(this, alive_), asio::detached);
}

GatewayService::~GatewayService() { flush_access_log(); }

void GatewayService::set_runtime(std::shared_ptr<const Runtime> runtime) {
  runtime_ = std::move(runtime);
  sessions_.clear();  // logins and their keys may have changed
  if (runtime_)
    for (const auto& [source, keys] : runtime_->inline_keys()) keys_[source] = keys;
  round_robin_.assign(runtime_ ? runtime_->cluster_count() : 0, 0);
}

pathnorm::Mode GatewayService::path_normalization() const {
  return runtime_ ? runtime_->path_normalization() : pathnorm::Mode::Base;
}

proxy::Task<void> GatewayService::serve(proxy::Exchange& ex) {
  std::shared_ptr<const Runtime> rt = runtime_;  // this request keeps its snapshot
  const auto& conn = ex.connection();
  const ListenerRuntime* listener =
      rt ? rt->listener(conn.listener_address, conn.listener_port) : nullptr;
  if (!listener) {  // the listener went away in a reload while this connection was open
    ex.close_after();
    co_await ex.respond(local(503, "listener removed\n"));
    co_return;
  }
  // Identity headers come from the gateway only, on every listener (oidc/identity.h), unless
  // the peer is a trusted ALB in front.
  if (!trusted_peer(listener->trust_oidc_headers_from, conn.peer_ip))
    oidc::strip_oidc_headers(ex.request().fields);
  // No co_await inside && or ?: : GCC 12 destroys temporaries there twice.
  if (!listener->logins.empty()) {
    const bool answered = co_await serve_login_paths(ex, *listener);
    if (answered) co_return;
  }
  const edge::Rule& rule = listener->rules.select(ex.view());
  const auto rule_index = static_cast<std::size_t>(&rule - listener->rules.rules().data());
  ex.record().route = rule.name;
  if (rule_index < listener->series.size()) ex.record().series = listener->series[rule_index];
  if (rule.login) {
    // Fails closed: a rule that authenticates never forwards without its login.
    if (*rule.login >= listener->logins.size()) {
      co_await ex.respond(local(500, "login not configured\n"));
      co_return;
    }
    const bool authenticated = co_await authenticate(ex, *listener->logins[*rule.login]);
    if (!authenticated) co_return;
  }

  const edge::Action& action = rule.actions.back();
  if (const auto* fixed = std::get_if<edge::FixedResponseAction>(&action)) {
    const edge::GeneratedResponse generated = edge::render(*fixed);
    auto res = proxy::make_local_response(generated.status_code, std::string(generated.body));
    for (const auto& h : generated.headers) res.headers.set(h.name, h.value);
    co_await ex.respond(std::move(res));
    co_return;
  }
  if (const auto* redirect = std::get_if<edge::RedirectAction>(&action)) {
    edge::GeneratedResponse generated = edge::render(*redirect, ex.view());
    auto res = proxy::make_local_response(generated.status_code, std::string(generated.body));
    for (const auto& h : generated.headers) res.headers.set(h.name, h.value);
    if (!generated.location.empty()) res.headers.set("Location", generated.location);
    co_await ex.respond(std::move(res));
    co_return;
  }
  const auto& forward = std::get<edge::ForwardAction>(action);
  const TargetGroupRuntime* group = rt->target_group(forward.choose_target_group(random_()));
  if (!group) {
    ex.record().flags.set(ResponseFlag::NoHealthyUpstream);
    co_await ex.respond(local(503, "no healthy upstream"));
    co_return;
  }
  if (group->cluster) {
    add_forwarding_headers(ex);
    co_await forward_to_cluster(ex, *rt, *group->cluster, nullptr);
  } else {
    co_await serve_mesh(ex, *rt, group->mesh_port);
  }
}

proxy::Task<void> GatewayService::serve_mesh(proxy::Exchange& ex, const Runtime& rt,
                                             uint16_t port) {
  // Routing and policy read the request; headers only change after they decided.
  const uint64_t hits = token_cache_.hits(), misses = token_cache_.misses();
  MeshVerdict verdict;
  MeshInputs in;
  in.gateway_port = port;
  in.view = ex.view();
  in.fields = &ex.request().fields;
  in.keys = &keys_;
  in.token_cache = &token_cache_;
  in.now = unix_now();
  in.random = random_();
  in.sni = ex.connection().sni;
  decide_mesh(rt, in, verdict);
  for (uint64_t i = hits; i < token_cache_.hits(); ++i) metrics_.record_token_cache(true);
  for (uint64_t i = misses; i < token_cache_.misses(); ++i) metrics_.record_token_cache(false);
  const mesh::Decision& decision = verdict.route;
  // The access log names the route for answers authentication or authorization make too.
  if (const auto* fwd = std::get_if<mesh::Forward>(&decision);
      fwd && !fwd->origin.virtual_service.empty())
    ex.record().route = fwd->origin.virtual_service;
  std::string_view explain_header;
  if (!co_await admit(ex, rt, verdict, explain_header)) co_return;

  if (const auto* fwd = std::get_if<mesh::Forward>(&decision)) {
    auto cluster = rt.cluster_of(fwd->cluster);
    add_forwarding_headers(ex);
    apply_edits(*fwd->request_headers, ex.request().fields);
    if (!cluster) {
      ex.record().flags.set(ResponseFlag::NoHealthyUpstream);
      co_await ex.respond(local(503, "no healthy upstream"));
      co_return;
    }
    co_await forward_to_cluster(ex, rt, *cluster, fwd, explain_header);
  } else if (const auto* redirect = std::get_if<mesh::Redirect>(&decision)) {
    auto res = local(redirect->status, {}, redirect->response_headers);
    res.headers.set("Location", redirect->location);
    co_await ex.respond(std::move(res));
  } else if (const auto* direct = std::get_if<mesh::DirectResponse>(&decision)) {
    co_await ex.respond(local(direct->status, std::string(direct->body), direct->response_headers));
  } else if (const auto* https = std::get_if<mesh::HttpsRedirect>(&decision)) {
    auto res = local(301);
    res.headers.set("Location", https->location);
    co_await ex.respond(std::move(res));
  } else {
    ex.record().flags.set(ResponseFlag::NoRoute);
    co_await ex.respond(local(404));
  }
}

proxy::Task<void> GatewayService::forward_to_cluster(proxy::Exchange& ex, const Runtime& rt,
                                                     uint32_t index, const mesh::Forward* route,
                                                     std::string_view explain_header) {
  const Cluster& cluster = rt.cluster(index);
  proxy::ForwardPlan plan;
  plan.connect_timeout = cluster.connect_timeout;
  plan.idle_timeout = idle_timeout_;
  plan.reuse = cluster.reuse;
  const std::size_t attempts =
      std::min<std::size_t>(kMaxAttempts, 1 + (route && route->retry ? route->retry->attempts : 0));
  plan.max_attempts = static_cast<uint32_t>(attempts);

  std::array<const proxy::UpstreamTarget*, kMaxAttempts> order{};
  const std::size_t n = cluster.targets.size();
  if (n > 0) {
    // Healthy targets only; all of them when none is healthy (ALB fails open).
    const health::Routable routable(cluster.health.get(), n);
    const std::size_t m = routable.size();
    std::size_t first = 0;
    if (cluster.balancer == config::LoadBalancerSettings::Simple::LeastRequest && m > 1) {
      // Power of two choices, as Envoy's least-request balancer.
      const std::size_t a = routable.nth(random_() % m), b = routable.nth(random_() % m);
      first = pool_.active(cluster.targets[a].address) <= pool_.active(cluster.targets[b].address)
                  ? a
                  : b;
    } else if (cluster.balancer == config::LoadBalancerSettings::Simple::Random) {
      first = routable.nth(random_() % m);
    } else if (index < round_robin_.size()) {
      first = routable.nth(round_robin_[index]++ % m);
    }
    for (std::size_t i = 0, at = first; i < attempts; ++i, at = routable.next(at))
      order[i] = &cluster.targets[at];
    plan.targets = std::span<const proxy::UpstreamTarget* const>(order.data(), attempts);
  }
  if (route) {
    plan.timeout = route->timeout;
    if (route->path) {
      std::string target = *route->path;
      if (!ex.view().query.empty()) target.append("?").append(ex.view().query);
      plan.target = std::move(target);
    }
    if (!route->authority.empty()) plan.authority = std::string(route->authority);
  }
  const mesh::HeaderMutation* edits =
      route && !route->response_headers->empty() ? route->response_headers : nullptr;
  if (edits || !explain_header.empty())
    plan.edit_response = [edits, explain_header, &ex](http1::Fields& f) {
      if (edits) apply_edits(*edits, f);
      if (!explain_header.empty()) f.set(explain_header, ex.record().authz_explanation);
    };
  metrics_.upstream_request_started();
  co_await proxy::forward(ex, pool_, plan);
  metrics_.upstream_request_finished();
}

void GatewayService::add_forwarding_headers(proxy::Exchange& ex) {
  auto& fields = ex.request().fields;
  const auto& conn = ex.connection();
  fields.set("x-forwarded-for", proxy::forwarded_for(fields.get("x-forwarded-for"), conn.peer_ip));
  fields.set("x-forwarded-proto", conn.tls ? "https" : "http");
  fields.set("x-forwarded-port", std::to_string(conn.listener_port));
  auto id = fields.get("x-request-id");
  if (!id || !proxy::request_id_is_acceptable(*id))
    fields.set("x-request-id", proxy::uuid_v4(random_(), random_()));
  const auto trace_value = fields.get("x-amzn-trace-id");
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  fields.set("x-amzn-trace-id",
             proxy::amzn_trace_id(trace_value,
                                  std::chrono::duration_cast<std::chrono::seconds>(now).count(),
                                  random_(), random_()));
}

void GatewayService::finished(const proxy::Exchange& ex) {
  const auto& rec = ex.record();
  const auto duration = std::chrono::steady_clock::now() - ex.started();
  if (rec.series != proxy::ExchangeRecord::kNoSeries)
    metrics_.record_request(rec.series, rec.status, duration);
  for (uint32_t i = 0; i < rec.upstream_connects; ++i)
    metrics_.record_upstream_connect(i < rec.upstream_connect_failures
                                         ? telemetry::ConnectOutcome::Failed
                                         : telemetry::ConnectOutcome::Connected);
  if (sink_.fd < 0) return;
  const auto& req = ex.request();
  const auto header = [&](std::string_view name) { return req.fields.get(name).value_or(""); };
  const auto& conn = ex.connection();
  const std::string peer = conn.peer_ip + ":" + std::to_string(conn.peer_port);
  telemetry::AccessLogEntry entry{
      .time = std::chrono::system_clock::now() -
              std::chrono::duration_cast<std::chrono::system_clock::duration>(duration),
      .request_id = header("x-request-id"),
      .peer = peer,
      .method = req.method,
      .authority = req.host,
      .path = ex.view().path,
      .protocol = req.version == 10 ? "HTTP/1.0" : "HTTP/1.1",
      .status = rec.status,
      .bytes_received = rec.bytes_received,
      .bytes_sent = rec.bytes_sent,
      .duration = duration,
      .route = rec.route,
      .upstream_host = rec.upstream_host,
      .response_flags = rec.flags,
      .user_agent = header("user-agent"),
      .x_forwarded_for = header("x-forwarded-for"),
      .jwt_status = rec.jwt_status,
      .jwt_issuer = rec.jwt_issuer,
      .jwt_subject = rec.jwt_subject,
      .authz_result = rec.authz_result,
      .authz = rec.authz_explanation,
      .error_reason = rec.error_reason,
      .error_detail = rec.error_detail};
  telemetry::append_access_log_json(entry, log_buffer_);
  if (log_buffer_.size() >= kLogFlushBytes) flush_access_log();
}

void GatewayService::flush_access_log() {
  std::size_t done = 0;
  while (sink_.fd >= 0 && done < log_buffer_.size()) {
    const ssize_t n = ::write(sink_.fd, log_buffer_.data() + done, log_buffer_.size() - done);
    if (n <= 0) break;  // a full disk or closed pipe must not stop the gateway
    done += static_cast<std::size_t>(n);
  }
  log_buffer_.clear();
}

}  // namespace gatehouse::gateway
