// The gateway's side of workload security: records what RequestAuthentication and
// AuthorizationPolicy decided for the access log and metrics, asks the fetcher for key sets a
// token needed, and answers rejections as Envoy does (401/403 from jwt_authn, 403
// "RBAC: access denied" from rbac).
#include <chrono>

#include "authz/matchers.h"
#include "gateway/gateway_service.h"

namespace gatehouse::gateway {
namespace {

constexpr std::string_view kRbacDenied = "RBAC: access denied";

}  // namespace

proxy::Task<bool> GatewayService::admit(proxy::Exchange& ex, const Runtime& rt,
                                        const MeshVerdict& verdict,
                                        std::string_view& explain_header) {
  auto& rec = ex.record();
  if (verdict.authn) {
    const authn::Outcome& outcome = *verdict.authn;
    if (refetch_)
      for (const auto& source : outcome.refetch) refetch_(source);
    if (outcome.kind == authn::Outcome::Kind::Verified) {
      rec.jwt_status = jose::status_name(jose::Status::Ok);
      rec.jwt_issuer = outcome.identity->issuer;
      rec.jwt_subject = outcome.identity->subject;
      metrics_.record_jwt_result(static_cast<std::size_t>(jose::Status::Ok));
    } else if (outcome.kind == authn::Outcome::Kind::Rejected) {
      rec.jwt_status = jose::status_name(outcome.status);
      metrics_.record_jwt_result(static_cast<std::size_t>(outcome.status));
      proxy::LocalResponse res = proxy::make_local_response(
          static_cast<unsigned>(outcome.http_status), std::string(outcome.body()));
      res.headers.add("www-authenticate", outcome.www_authenticate);
      co_await ex.respond(std::move(res));
      co_return false;
    }
  }
  if (!verdict.authz) co_return true;

  const authz::Decision& decision = *verdict.authz;
  rt.count_decision(metrics_, decision);
  rec.authz_result = decision.allowed ? "allowed" : "denied";
  const auto& explain = rt.explain_decisions();
  const bool show = trusted_peer(rt.explain_trusted_sources(), ex.connection().peer_ip);
  if (sink_.fd >= 0 || show) rec.authz_explanation = authz::explain(decision);
  if (show) explain_header = explain.header;
  if (decision.allowed) co_return true;
  proxy::LocalResponse res = proxy::make_local_response(403, std::string(kRbacDenied));
  if (show) res.headers.add(explain.header, rec.authz_explanation);
  co_await ex.respond(std::move(res));
  co_return false;
}

}  // namespace gatehouse::gateway
