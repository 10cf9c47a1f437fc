#include "gateway/edge_login.h"

#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "gateway/load_support.h"

namespace gatehouse::gateway {
namespace {

// The action of `listener` whose login is rules.logins()[i]: rules in priority order, then
// the default rule, as edge::compile numbered them.
const config::RuleAction* login_action(const config::Listener& listener,
                                       const edge::ListenerRules& rules, uint32_t index) {
  auto in = [](const std::vector<config::RuleAction>& actions) -> const config::RuleAction* {
    for (const auto& action : actions)
      if (action.authenticate_oidc) return &action;
    return nullptr;
  };
  for (const edge::Rule& rule : rules.rules()) {
    if (rule.login != index) continue;
    if (rule.is_default()) return in(listener.default_actions);
    for (const auto& spec : listener.rules)
      if (spec.priority == *rule.priority) return in(spec.actions);
  }
  return nullptr;
}

struct LoginBuilder {
  const config::Listener& listener;
  const config::RuleAction& action;
  std::vector<std::string>& errors;

  void fail(const std::string& message) {
    errors.push_back(located(action.where, listener.id(), "authenticate-oidc: " + message));
  }

  std::shared_ptr<const session::SessionKeys> session_keys(const std::string& file) {
    const std::string path = path_from(action.where.file, file);
    const auto text = read_small_file(path);
    if (!text) {
      fail("sessionKeysFile " + path + " cannot be read");
      return nullptr;
    }
    auto parsed = session::SessionKeys::parse(*text);
    if (!parsed.ok()) {
      fail("sessionKeysFile " + parsed.error().describe(path));
      return nullptr;
    }
    return std::make_shared<const session::SessionKeys>(std::move(*parsed));
  }

  std::string client_secret(const config::AuthenticateOidcConfig& config) {
    ClientSecret read =
        read_client_secret(action.where.file, config.client_secret_file, config.client_secret_env);
    if (!read.problem.empty()) fail(read.problem);
    return std::move(read.secret);
  }

  keys::Url endpoint(const std::string& name, const std::string& url) {
    auto parsed = keys::parse_url(url);
    if (!parsed) fail(name + " " + url + " is not an http(s) URL gatehouse can call");
    return parsed.value_or(keys::Url{});
  }
};

}  // namespace

session::Status request_cookies(const http1::Fields& fields,
                                std::vector<session::Cookie>& cookies) {
  cookies.clear();
  for (const auto& field : fields.all()) {
    if (!iequals(field.name, "cookie")) continue;
    if (const auto status = session::parse_cookie_header(field.value, cookies);
        status != session::Status::Ok) {
      cookies.clear();
      return status;
    }
  }
  return session::Status::Ok;
}

void note_login_error(proxy::Exchange& ex, const oidc::Error& error) {
  auto& record = ex.record();
  record.error_reason = error.reason();
  record.error_detail = oidc::status_name(error.status);
  if (!error.detail.empty()) record.error_detail.append(": ").append(error.detail);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::shared_ptr<const jose::PrivateKey> data_signing_key() {
  static const std::shared_ptr<const jose::PrivateKey> key =
      []() -> std::shared_ptr<const jose::PrivateKey> {
    std::array<uint8_t, 16> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) return nullptr;
    auto made = jose::PrivateKey::generate(jose::Alg::ES256, oidc::uuid_kid(random));
    if (!made.ok()) return nullptr;
    return std::make_shared<const jose::PrivateKey>(std::move(*made));
  }();
  return key;
}

std::vector<std::shared_ptr<const EdgeLogin>> build_edge_logins(
    const config::Listener& listener, const edge::ListenerRules& rules,
    std::vector<keys::Source>& key_sources, std::vector<std::string>& errors) {
  std::vector<std::shared_ptr<const EdgeLogin>> out;
  const auto configs = rules.logins();
  for (uint32_t i = 0; i < configs.size(); ++i) {
    const config::RuleAction* action = login_action(listener, rules, i);
    if (!action) {  // edge::compile numbered every action it kept, so this is a bug
      errors.push_back(located(listener.where, listener.id(),
                               "authenticate-oidc action " + std::to_string(i) + " not found"));
      continue;
    }
    const std::size_t errors_before = errors.size();
    LoginBuilder build{listener, *action, errors};
    static std::atomic<std::uint64_t> next_id{1};
    auto login = std::make_shared<EdgeLogin>();
    login->id = next_id.fetch_add(1, std::memory_order_relaxed);
    login->config = configs[i];
    login->scheme = listener.protocol == "HTTPS" ? "https" : "http";
    login->keys = build.session_keys(login->config.session_keys_file);
    login->client_secret = build.client_secret(login->config);
    login->token_endpoint = build.endpoint("tokenEndpoint", login->config.token_endpoint);
    login->user_info_endpoint =
        build.endpoint("userInfoEndpoint", login->config.user_info_endpoint);
    login->gateway_cookies = session::gateway_cookie_names(login->config.session_cookie_name);
    login->key_source = "discovery:" + login->config.issuer;
    if (std::none_of(key_sources.begin(), key_sources.end(),
                     [&](const keys::Source& s) { return s.id == login->key_source; }))
      key_sources.push_back({.id = login->key_source, .issuer = login->config.issuer});
    auto signer = oidc::DataTokenSigner::create(
        data_signing_key(),
        "gatehouse:listener/" + listener.metadata.namespace_ + "/" + listener.metadata.name,
        login->config.issuer, login->config.client_id);
    if (signer.ok())
      login->signer = std::make_shared<const oidc::DataTokenSigner>(std::move(*signer));
    else
      build.fail("no key to sign x-amzn-oidc-data with");
    if (errors.size() == errors_before) out.push_back(std::move(login));
  }
  return out;
}

}  // namespace gatehouse::gateway
