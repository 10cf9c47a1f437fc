// The gateway's RequestAuthentication step: runs the pure authn module on the request,
// answers rejections with Envoy's 401/403, asks the fetcher for key sets a token needed, and
// records the outcome for the access log and metrics.
#include <chrono>

#include "gateway/gateway_service.h"

namespace gatehouse::gateway {

proxy::Task<bool> GatewayService::authenticate(proxy::Exchange& ex,
                                               const authn::Requirement& requirement,
                                               std::shared_ptr<const authn::Identity>& identity) {
  const RequestView& view = ex.view();
  authn::Request request{view.method, view.scheme, view.authority,
                         view.path,   view.query,  ex.request().fields};
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const uint64_t hits = token_cache_.hits(), misses = token_cache_.misses();
  authn::Outcome outcome = authn::authenticate(requirement, request, keys_, token_cache_, now);
  for (uint64_t i = hits; i < token_cache_.hits(); ++i) metrics_.record_token_cache(true);
  for (uint64_t i = misses; i < token_cache_.misses(); ++i) metrics_.record_token_cache(false);
  if (refetch_)
    for (const auto& source : outcome.refetch) refetch_(source);

  auto& rec = ex.record();
  switch (outcome.kind) {
    case authn::Outcome::Kind::NoToken:
    case authn::Outcome::Kind::Bypassed:
      co_return true;
    case authn::Outcome::Kind::Verified:
      rec.jwt_status = jose::status_name(jose::Status::Ok);
      rec.jwt_issuer = outcome.identity->issuer;
      rec.jwt_subject = outcome.identity->subject;
      metrics_.record_jwt_result(static_cast<std::size_t>(jose::Status::Ok));
      identity = std::move(outcome.identity);
      co_return true;
    case authn::Outcome::Kind::Rejected:
      break;
  }
  rec.jwt_status = jose::status_name(outcome.status);
  metrics_.record_jwt_result(static_cast<std::size_t>(outcome.status));
  proxy::LocalResponse res = proxy::make_local_response(static_cast<unsigned>(outcome.http_status),
                                                        std::string(outcome.body()));
  res.headers.add("www-authenticate", outcome.www_authenticate);
  co_await ex.respond(std::move(res));
  co_return false;
}

}  // namespace gatehouse::gateway
