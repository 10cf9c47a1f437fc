#include "app/check.h"

#include <boost/url/parse.hpp>
#include <chrono>

#include "authn/identity.h"
#include "edge/actions.h"
#include "gateway/mesh_verdict.h"
#include "http1/head.h"
#include "jose/jwks.h"
#include "jose/status.h"
#include "pathnorm/pathnorm.h"

namespace gatehouse::app {
namespace {

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The request as the engine holds it after parsing: the head bytes and what the HTTP/1.1
// parser made of them, the normalized target, the view.
struct Parsed {
  std::string bytes;
  http1::RequestHead head;
  http1::Fields& fields = head.fields;
  pathnorm::Normalized target;
  std::string scheme;
  uint16_t port = 0;
  RequestView view;
};

std::string labels_text(const config::Labels& labels) {
  std::string out = "{";
  for (const auto& [key, value] : labels) out += (out.size() > 1 ? ", " : "") + key + "=" + value;
  return out + "}";
}

// Puts the token where the destination workload's first JWT rule reads it; the default
// `Authorization: Bearer` when the workload reads none.
void place_token(const gateway::Runtime& rt, const CheckRequest& req, uint16_t mesh_port, Parsed& p,
                 std::string& target) {
  const authn::Provider* provider = nullptr;
  const auto decision = rt.mesh().route(mesh_port, p.view, 0);
  if (const auto* fwd = std::get_if<mesh::Forward>(&decision))
    if (auto cluster = rt.cluster_of(fwd->cluster))
      if (const auto& requirement = rt.cluster(*cluster).authn;
          requirement && !requirement->providers.empty())
        provider = &requirement->providers.front();
  if (provider && provider->from_headers.empty() && !provider->from_params.empty()) {
    target += (target.find('?') == std::string::npos ? "?" : "&") + provider->from_params.front() +
              "=" + req.token;
  } else if (provider && provider->from_headers.empty() && !provider->from_cookies.empty()) {
    p.fields.add("cookie", provider->from_cookies.front() + "=" + req.token);
  } else if (provider) {
    const auto& location = provider->from_headers.front();
    p.fields.add(location.name, location.prefix + req.token);
  } else {
    p.fields.add("authorization", "Bearer " + req.token);
  }
}

// Writes the request as the client would send it and parses it with the gateway's own
// HTTP/1.1 parser, so header names, values and methods the gateway refuses are refused here
// (400) and values are trimmed as there. `target` gets the origin-form target.
bool parse_request(const CheckRequest& req, Parsed& p, std::string& target, CheckResult& out) {
  auto url = boost::urls::parse_absolute_uri(req.url);
  if (!url || (url->scheme() != "http" && url->scheme() != "https") || !url->has_authority() ||
      url->has_userinfo() || url->encoded_host().empty()) {
    out.error = "not an http(s) URL with a host: " + req.url;
    return false;
  }
  p.scheme = url->scheme();
  p.port = url->has_port() ? url->port_number() : (p.scheme == "https" ? 443 : 80);
  target = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
  if (url->has_query()) target += "?" + std::string(url->encoded_query());
  p.bytes = req.method + " " + target + " HTTP/1.1\r\n";
  const bool has_host = std::ranges::any_of(
      req.headers, [](const auto& header) { return iequals(header.first, "host"); });
  if (!has_host) p.bytes += "Host: " + std::string(url->encoded_authority()) + "\r\n";
  for (const auto& [name, value] : req.headers) p.bytes += name + ": " + value + "\r\n";
  p.bytes += "\r\n";
  const http1::HeadResult parsed = http1::parse_request(p.bytes, http1::Limits{}, p.head);
  if (parsed.status != http1::HeadStatus::Complete) {
    out.steps.emplace_back("request",
                           "refused by the HTTP/1.1 parser: " +
                               std::string(parsed.reason.empty() ? "too large" : parsed.reason));
    out.status = parsed.status == http1::HeadStatus::Malformed ? 400 : 431;
    out.refused = true;
    return false;
  }
  return true;
}

// Normalizes `target` as the engine does before any routing, and (re)builds the view.
bool normalize(const CheckRequest& req, pathnorm::Mode mode, const std::string& target, Parsed& p,
               CheckResult& out) {
  const auto status = pathnorm::normalize(target, mode, p.target);
  if (status != pathnorm::Status::Ok) {
    out.steps.emplace_back("path", "refused: " + std::string(pathnorm::message(status)));
    out.status = 400;
    out.refused = true;
    return false;
  }
  p.view = RequestView{.method = p.head.method,
                       .scheme = p.scheme,
                       .authority = p.head.host,
                       .path = p.target.path(),
                       .query = p.target.query(),
                       .peer_ip = req.source_ip,
                       .listener_port = p.port,
                       .headers = p.fields.all()};
  return true;
}

void describe_authn(const gateway::MeshVerdict& v, bool assumed, CheckResult& out) {
  if (assumed) {
    out.steps.emplace_back("authn", "claims taken on trust: iss=" + v.identity->issuer +
                                        " sub=" + v.identity->subject);
    return;
  }
  if (!v.authn) {
    out.steps.emplace_back("authn", "no RequestAuthentication for this workload");
    return;
  }
  using Kind = authn::Outcome::Kind;
  switch (v.authn->kind) {
    case Kind::NoToken:
      out.steps.emplace_back("authn", "no token: passes without an identity");
      break;
    case Kind::Bypassed:
      out.steps.emplace_back("authn", "CORS preflight: not checked");
      break;
    case Kind::Verified:
      out.steps.emplace_back("authn",
                             "verified: iss=" + v.identity->issuer + " sub=" + v.identity->subject);
      break;
    case Kind::Rejected:
      out.steps.emplace_back("authn", "rejected: " + std::string(v.authn->body()));
      if (v.authn->status == jose::Status::JwksFetchFail)
        out.steps.emplace_back("hint", "the workload's keys are remote: pass --jwks FILE");
      out.status = static_cast<unsigned>(v.authn->http_status);
      out.denied = true;
      break;
  }
}

// The mesh leg: the same decide_mesh() the gateway runs, then what it would answer.
void check_mesh(const gateway::Runtime& rt, const authn::KeyTable& keys, const CheckRequest& req,
                uint16_t mesh_port, Parsed& p, CheckResult& out) {
  std::shared_ptr<const authn::Identity> assumed;
  if (!req.claims.empty()) {
    std::string error;
    assumed = authn::identity_from_payload(req.claims, {"permission", "scope"}, error);
    if (!assumed) {
      out.error = "claims: " + error;
      return;
    }
  }
  authn::KeyTable key_copy = keys;
  authn::TokenCache cache;
  gateway::MeshInputs in;
  in.gateway_port = mesh_port;
  in.view = p.view;
  in.fields = &p.fields;
  in.keys = &key_copy;
  in.token_cache = &cache;
  in.now = now_seconds();
  in.assumed_identity = assumed.get();
  gateway::MeshVerdict v;
  gateway::decide_mesh(rt, in, v);

  if (const auto* fwd = std::get_if<mesh::Forward>(&v.route)) {
    const auto& workload = fwd->cluster->workload;
    out.steps.emplace_back("route",
                           std::string(fwd->origin.virtual_service) + " -> " + fwd->cluster->name);
    out.steps.emplace_back(
        "workload",
        workload.namespace_ + " " + labels_text(workload.labels) +
            (workload.service_entry.empty() ? "" : " (" + workload.service_entry + ")"));
  }
  describe_authn(v, assumed != nullptr, out);
  if (out.denied) return;
  if (v.authz) {
    out.steps.emplace_back("authz", authz::explain(*v.authz));
    if (v.authz->rule) out.policy = v.authz->rule->policy;
    if (!v.authz->allowed) {
      out.status = 403;
      out.denied = true;
      return;
    }
  } else if (std::holds_alternative<mesh::Forward>(v.route)) {
    out.steps.emplace_back("authz", "no AuthorizationPolicy for this workload");
  }
  if (std::holds_alternative<mesh::Forward>(v.route)) {
    const auto& targets = rt.cluster(*v.cluster).targets;
    out.steps.emplace_back(
        "upstream", targets.empty() ? "no endpoint address (503 upstream)" : targets.front().name);
  } else if (const auto* redirect = std::get_if<mesh::Redirect>(&v.route)) {
    out.status = redirect->status;
  } else if (const auto* direct = std::get_if<mesh::DirectResponse>(&v.route)) {
    out.status = direct->status;
  } else if (std::holds_alternative<mesh::HttpsRedirect>(v.route)) {
    out.status = 301;
  } else {
    out.steps.emplace_back("route", "no route");
    out.status = 404;
  }
}

}  // namespace

std::optional<authn::KeyTable> check_keys(const gateway::Runtime& rt, const std::string& jwks_text,
                                          std::string& error) {
  authn::KeyTable keys = rt.inline_keys();
  if (jwks_text.empty()) return keys;
  auto jwks = jose::Jwks::parse(jwks_text, {.allow_oct_keys = true});
  if (!jwks.ok()) {
    error = std::string(jose::status_message(jwks.status()));
    return std::nullopt;
  }
  auto shared = std::make_shared<const jose::Jwks>(std::move(*jwks));
  for (const auto& source : rt.key_sources())
    keys[source.id] = {shared, 1, std::chrono::system_clock::now()};
  return keys;
}

std::string result_text(const CheckResult& result) {
  if (!result.status) return "forwarded";
  return std::to_string(*result.status) + (result.denied    ? " denied"
                                           : result.refused ? " refused"
                                                            : "");
}

namespace {

// A rule with authenticate-oidc. A request given a token or claims is taken as a logged-in
// browser's (the edge forwards its access token); one without, as a browser with no session.
// False when the edge answers itself.
bool login_step(const config::AuthenticateOidcConfig& login, const CheckRequest& req,
                CheckResult& out) {
  if (!req.token.empty() || !req.claims.empty()) {
    out.steps.emplace_back("login", "session assumed (its access token: --token or --claims)");
    return true;
  }
  switch (login.on_unauthenticated_request) {
    case config::OnUnauthenticatedRequest::Authenticate:
      out.steps.emplace_back("login", "no session: redirect to " + login.authorization_endpoint);
      out.status = 302;
      return false;
    case config::OnUnauthenticatedRequest::Deny:
      out.steps.emplace_back("login", "no session: denied");
      out.status = 401;
      out.denied = true;
      return false;
    case config::OnUnauthenticatedRequest::Allow:
      out.steps.emplace_back("login", "no session: forwarded without identity");
      return true;
  }
  return false;
}

}  // namespace

CheckResult check_request(const gateway::Runtime& rt, const authn::KeyTable& keys,
                          const CheckRequest& req) {
  CheckResult out;
  Parsed p;
  std::string target;
  if (!parse_request(req, p, target, out) ||
      !normalize(req, rt.path_normalization(), target, p, out))
    return out;
  const gateway::ListenerRuntime* listener = nullptr;
  for (const auto& l : rt.listeners())
    if (l.spec->port == p.port && !listener) listener = &l;
  if (!listener) {
    out.error = "no Listener on port " + std::to_string(p.port);
    return out;
  }
  const edge::Rule& rule = listener->rules.select(p.view);
  out.steps.emplace_back("listener", listener->spec->id() + " rule " + rule.name);
  if (rule.login && !login_step(listener->rules.logins()[*rule.login], req, out)) return out;
  if (const auto* fixed = std::get_if<edge::FixedResponseAction>(&rule.actions.back())) {
    out.status = edge::render(*fixed).status_code;
    return out;
  }
  if (const auto* redirect = std::get_if<edge::RedirectAction>(&rule.actions.back())) {
    const edge::GeneratedResponse answer = edge::render(*redirect, p.view);
    out.steps.emplace_back("redirect", answer.location.empty() ? "refused" : answer.location);
    out.status = answer.status_code;
    return out;
  }
  const auto& forward = std::get<edge::ForwardAction>(rule.actions.back());
  const gateway::TargetGroupRuntime* group = rt.target_group(forward.choose_target_group(0));
  if (!group) {
    out.status = 503;
    return out;
  }
  out.steps.emplace_back("target", group->spec->id() + (group->cluster ? "" : " (mesh)"));
  if (group->cluster) {
    const auto& targets = rt.cluster(*group->cluster).targets;
    out.steps.emplace_back("upstream", targets.empty() ? "no targets" : targets.front().name);
    return out;
  }
  if (!req.token.empty()) {
    place_token(rt, req, group->mesh_port, p, target);
    if (!normalize(req, rt.path_normalization(), target, p, out)) return out;
  }
  check_mesh(rt, keys, req, group->mesh_port, p, out);
  return out;
}

}  // namespace gatehouse::app
