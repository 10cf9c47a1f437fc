#include "gateway/admin_service.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "gateway/edge_login.h"
#include "oidc/data_token.h"

namespace gatehouse::gateway {
namespace {

namespace json = boost::json;

bool is_secret_key(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"secret", "password", "token", "privatekey"})
    if (key.find(word) != std::string::npos) return true;
  return false;
}

json::value to_json(const YAML::Node& node, int depth) {
  if (depth > 64) return "[too deep]";
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object out;
      for (const auto& kv : node) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
        out[key] = is_secret_key(key) ? json::value("[redacted]") : to_json(kv.second, depth + 1);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      json::array out;
      for (const auto& item : node) out.push_back(to_json(item, depth + 1));
      return out;
    }
    case YAML::NodeType::Scalar:
      return json::value(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

constexpr std::string_view kPublicKeys = "/public-keys/";

}  // namespace

std::string config_dump_json(const std::vector<config::SourceFile>& files) {
  json::array out_files;
  for (const auto& file : files) {
    json::array resources;
    try {
      for (const auto& doc : YAML::LoadAll(file.text))
        if (doc.IsDefined() && !doc.IsNull()) resources.push_back(to_json(doc, 0));
    } catch (const YAML::Exception&) {
      // Only validated configs are live, so this cannot happen; show nothing rather than crash.
    }
    out_files.push_back(json::object{{"name", file.name}, {"resources", std::move(resources)}});
  }
  return json::serialize(json::object{{"files", std::move(out_files)}}) + "\n";
}

void AdminState::set_runtime(std::shared_ptr<const Runtime> runtime) {
  std::lock_guard lock(mutex_);
  runtime_ = std::move(runtime);
}
void AdminState::set_ready(bool ready) {
  std::lock_guard lock(mutex_);
  ready_ = ready;
}
std::shared_ptr<const Runtime> AdminState::runtime() const {
  std::lock_guard lock(mutex_);
  return runtime_;
}
bool AdminState::ready() const {
  std::lock_guard lock(mutex_);
  return ready_;
}
std::string AdminState::targets_page() const {
  return targets_page_ ? targets_page_() : "{\"target_groups\":[]}\n";
}

proxy::Task<void> AdminService::serve(proxy::Exchange& ex) {
  // The answer is built before co_await: GCC 12 mishandles temporaries (a conditional
  // expression's in particular) inside a co_await expression and frees them twice.
  proxy::LocalResponse res = answer(ex.view().path);
  co_await ex.respond(std::move(res));
}

proxy::LocalResponse AdminService::answer(std::string_view path) const {
  if (path == "/ready") {
    const bool ready = state_.ready();
    return proxy::make_local_response(ready ? 200 : 503, ready ? "LIVE\n" : "PRE_INITIALIZING\n");
  }
  if (path == "/healthz") return proxy::make_local_response(200, "ok\n");
  if (path == "/config_dump") {
    auto rt = state_.runtime();
    std::string body = rt ? config_dump_json(rt->files()) : config_dump_json({});
    return proxy::make_local_response(200, std::move(body), "application/json");
  }
  if (path == "/targets")
    return proxy::make_local_response(200, state_.targets_page(), "application/json");
  if (path == "/stats/prometheus")
    return proxy::make_local_response(200, state_.metrics().render_prometheus(),
                                      telemetry::kPrometheusContentType);
  if (path.starts_with(kPublicKeys)) return public_key(path.substr(kPublicKeys.size()));
  return proxy::make_local_response(
      404,
      "admin pages: /ready /healthz /config_dump /targets /stats/prometheus "
      "/public-keys/{kid}\n");
}

// The PEM that verifies x-amzn-oidc-data with this kid, as ALB's public key service serves it.
proxy::LocalResponse AdminService::public_key(std::string_view kid) const {
  const auto key = data_signing_key();
  if (key && kid == key->kid()) {
    if (auto pem = oidc::public_key_pem(*key); pem.ok())
      return proxy::make_local_response(200, std::move(*pem), "application/x-pem-file");
  }
  return proxy::make_local_response(404, "no such key\n");
}

}  // namespace gatehouse::gateway
