#include "gateway/idp_service.h"

#include <openssl/rand.h>

#include <chrono>

namespace gatehouse::gateway {

proxy::Task<void> IdpService::serve(proxy::Exchange& ex) {
  auto body = co_await ex.read_body(idp::kMaxBodyBytes);
  if (!body) {
    co_await ex.respond(proxy::make_local_response(413, "Payload Too Large\n"));
    co_return;
  }
  const RequestView& view = ex.view();
  idp::Request request{view.method,
                       view.path,
                       view.query,
                       *body,
                       view.header("content-type").value_or(""),
                       view.header("authorization").value_or(""),
                       {}};
  for (const HeaderField& field : view.headers) {
    if (iequals(field.name, "cookie")) request.cookie_fields.push_back(field.value);
  }
  idp::Entropy entropy;
  if (RAND_bytes(entropy.bytes.data(), static_cast<int>(entropy.bytes.size())) != 1) {
    co_await ex.respond(proxy::make_local_response(503, "no randomness available\n"));
    co_return;
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  idp::Response answer;
  {
    std::lock_guard lock(shared_->mutex);
    answer = shared_->provider.handle(request, now, entropy);
  }
  proxy::LocalResponse res;
  res.status = answer.status;
  res.body = std::move(answer.body);
  for (auto& [name, value] : answer.headers) res.headers.add(name, value);
  co_await ex.respond(std::move(res));
}

}  // namespace gatehouse::gateway
