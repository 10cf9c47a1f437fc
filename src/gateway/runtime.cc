#include "gateway/runtime.h"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "gateway/load_support.h"

namespace gatehouse::gateway {
namespace {

namespace asio = boost::asio;
constexpr std::chrono::milliseconds kMaxPoolIdle{50000};

pathnorm::Mode to_mode(config::PathNormalization mode) {
  switch (mode) {
    case config::PathNormalization::None:
      return pathnorm::Mode::None;
    case config::PathNormalization::Base:
      return pathnorm::Mode::Base;
    case config::PathNormalization::MergeSlashes:
      return pathnorm::Mode::MergeSlashes;
    case config::PathNormalization::DecodeAndMergeSlashes:
      return pathnorm::Mode::DecodeAndMergeSlashes;
  }
  return pathnorm::Mode::Base;
}

// The address an IP literal names; none for a host name.
std::vector<asio::ip::address> literal(const std::string& host) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return {};
  return {address};
}

// Addresses for a host name or IP literal; resolving happens here, at load, never per request.
std::vector<asio::ip::address> resolve(const std::string& host) {
  if (auto address = literal(host); !address.empty()) return address;
  boost::system::error_code ec;
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(host, "", ec);
  std::vector<asio::ip::address> out;
  if (!ec)
    for (const auto& r : results) out.push_back(r.endpoint().address());
  return out;
}

// Reads an HTTPS listener's certificates; null when one is unusable (the errors say why).
std::shared_ptr<proxy::TlsServer> load_certificates(const config::Listener& listener,
                                                    telemetry::MetricsRegistry* metrics,
                                                    Runtime::BuildResult& result,
                                                    std::vector<std::string>& files_read) {
  if (listener.certificates.empty()) return nullptr;  // the config module refused it
  std::vector<proxy::CertificateFiles> files;
  for (const auto& c : listener.certificates) {
    files.push_back(
        {path_from(c.where.file, c.certificate_file), path_from(c.where.file, c.key_file)});
    files_read.push_back(files.back().certificate_file);
    files_read.push_back(files.back().key_file);
  }
  auto loaded = proxy::TlsServer::load(files, std::chrono::system_clock::now());
  for (const auto& e : loaded.errors)
    result.errors.push_back(
        located(listener.certificates[e.certificate].where, listener.id(), e.message));
  for (const auto& w : loaded.warnings)
    result.warnings.push_back(located(listener.certificates[w.certificate].where, listener.id(),
                                      "warning: " + w.message));
  if (!loaded.server || !metrics) return loaded.server;
  std::vector<telemetry::LabelSet> labels;
  for (std::size_t r = 0; r < proxy::kHandshakeResults; ++r)
    labels.push_back(
        {{"listener", listener.metadata.name},
         {"result", std::string(proxy::label(static_cast<proxy::HandshakeResult>(r)))}});
  if (auto ids =
          metrics->register_counters("gatehouse_tls_handshakes_total",
                                     "TLS handshakes on HTTPS listeners, by result.", labels)) {
    std::array<telemetry::CounterId, proxy::kHandshakeResults> by_result{};
    std::copy(ids->begin(), ids->end(), by_result.begin());
    loaded.server->set_counters(by_result);
  }
  return loaded.server;
}

proxy::UpstreamTarget target_of(const asio::ip::address& address, uint16_t port) {
  asio::ip::tcp::endpoint endpoint(address, port);
  std::string name = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return {endpoint, name + ":" + std::to_string(port)};
}

}  // namespace

std::vector<authz::IpRange> parse_ranges(const std::vector<std::string>& sources) {
  std::vector<authz::IpRange> out;
  for (const auto& source : sources)
    if (auto range = authz::IpRange::parse(source)) out.push_back(*range);
  return out;
}

bool trusted_peer(std::span<const authz::IpRange> sources, std::string_view peer_ip) {
  if (sources.empty()) return false;
  const auto ip = authz::IpAddress::parse(peer_ip);
  return ip && std::any_of(sources.begin(), sources.end(),
                           [&](const authz::IpRange& range) { return range.contains(*ip); });
}

Runtime::BuildResult Runtime::build(std::vector<config::SourceFile> files,
                                    telemetry::MetricsRegistry* metrics, bool resolve_hosts) {
  BuildResult result;
  config::LoadResult loaded = config::load(files);
  for (const auto& e : loaded.errors) result.errors.push_back(e.to_string());
  if (!result.errors.empty()) return result;

  std::shared_ptr<Runtime> rt(new Runtime());
  rt->files_ = std::move(files);
  rt->snapshot_ = std::move(loaded.snapshot);
  const config::Snapshot& snap = rt->snapshot_;
  rt->path_normalization_ = to_mode(snap.mesh.path_normalization);
  rt->explain_trusted_ = parse_ranges(snap.mesh.explain_decisions.trusted_sources);

  auto mesh = mesh::compile(snap);
  for (const auto& e : mesh.errors) result.errors.push_back(e.to_string());
  rt->mesh_ = std::move(mesh.router);

  for (const auto& listener : snap.listeners) {
    auto compiled = edge::compile(listener);
    for (const auto& e : compiled.errors)
      result.errors.push_back(located(e.where, listener.id(), e.message));
    std::shared_ptr<const proxy::TlsServer> tls;
    if (listener.protocol == "HTTPS" && resolve_hosts)
      tls = load_certificates(listener, metrics, result, rt->certificate_files_);
    if (!compiled.rules) continue;
    std::vector<std::shared_ptr<const EdgeLogin>> logins;
    if (resolve_hosts)
      logins = build_edge_logins(listener, *compiled.rules, rt->key_sources_, result.errors);
    rt->listeners_.push_back({&listener,
                              std::move(*compiled.rules),
                              {},
                              std::move(tls),
                              std::move(logins),
                              parse_ranges(listener.trust_oidc_headers_from)});
  }

  for (const auto& group : snap.target_groups) {
    TargetGroupRuntime tg;
    tg.spec = &group;
    if (group.target_type == "mesh") {
      tg.mesh_port = static_cast<uint16_t>(group.port);
    } else {
      Cluster cluster;
      cluster.name = "targetgroup/" + group.metadata.name;
      if (group.load_balancing_algorithm == "least_outstanding_requests")
        cluster.balancer = config::LoadBalancerSettings::Simple::LeastRequest;
      for (const auto& target : group.targets) {
        boost::system::error_code ec;
        auto address = asio::ip::make_address(target.id, ec);
        if (ec) {
          result.errors.push_back(located(group.where, group.id(),
                                          "target \"" + target.id + "\" is not an IP address"));
          continue;
        }
        cluster.targets.push_back(
            target_of(address, static_cast<uint16_t>(target.port ? target.port : group.port)));
      }
      cluster.health = std::make_shared<health::HealthTable>(cluster.targets.size());
      tg.cluster = static_cast<uint32_t>(rt->clusters_.size());
      rt->clusters_.push_back(std::move(cluster));
    }
    rt->target_groups_.emplace(group.metadata.name, tg);
  }

  if (rt->mesh_) {
    for (const mesh::Cluster* mesh_cluster : rt->mesh_->clusters()) {
      const mesh::Cluster& mc = *mesh_cluster;
      // Pooled connections are dropped before the common upstream keep-alive timeouts
      // (a minute or less) even when the DestinationRule allows longer: a connection the
      // upstream is about to close costs a retry.
      Cluster cluster;
      cluster.name = mc.name;
      cluster.balancer = mc.load_balancer;
      cluster.connect_timeout = mc.connection_pool.connect_timeout;
      cluster.reuse = {.idle_timeout = std::min(mc.connection_pool.idle_timeout, kMaxPoolIdle),
                       .max_requests = mc.connection_pool.max_requests_per_connection};
      for (const auto& endpoint : mc.endpoints) {
        auto addresses = resolve_hosts ? resolve(endpoint.address) : literal(endpoint.address);
        if (addresses.empty() && resolve_hosts)
          result.errors.push_back("cluster " + mc.name + ": cannot resolve \"" + endpoint.address +
                                  "\"");
        for (const auto& address : addresses)
          cluster.targets.push_back(target_of(address, endpoint.port));
      }
      rt->mesh_clusters_.emplace(&mc, static_cast<uint32_t>(rt->clusters_.size()));
      rt->clusters_.push_back(std::move(cluster));
    }
  }
  compile_authentication(*rt, result.errors);
  compile_authorization(*rt, result.errors);
  if (!result.errors.empty()) return result;
  if (metrics) {
    for (auto& l : rt->listeners_) {
      std::vector<telemetry::RouteLabels> labels;
      for (const auto& rule : l.rules.rules()) labels.push_back({l.spec->metadata.name, rule.name});
      if (auto ids = metrics->register_routes(labels)) l.series = std::move(*ids);
    }
    register_authorization_metrics(*rt, *metrics);
  }
  result.runtime = std::move(rt);
  return result;
}

const ListenerRuntime* Runtime::listener(std::string_view address, uint16_t port) const {
  for (const auto& l : listeners_)
    if (l.spec->port == port && l.spec->address == address) return &l;
  return nullptr;
}

const TargetGroupRuntime* Runtime::target_group(std::string_view name) const {
  auto it = target_groups_.find(std::string(name));
  return it == target_groups_.end() ? nullptr : &it->second;
}

std::optional<uint32_t> Runtime::cluster_of(const mesh::Cluster* mesh_cluster) const {
  auto it = mesh_clusters_.find(mesh_cluster);
  if (it == mesh_clusters_.end()) return std::nullopt;
  return it->second;
}

std::vector<proxy::ListenSpec> Runtime::listen_addresses() const {
  std::vector<proxy::ListenSpec> out;
  for (const auto& l : listeners_)
    out.push_back({{l.spec->address, static_cast<uint16_t>(l.spec->port)}, l.tls});
  return out;
}

}  // namespace gatehouse::gateway
