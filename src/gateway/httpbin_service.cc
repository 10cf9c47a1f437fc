#include "gateway/httpbin_service.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "httpbin/httpbin.h"

namespace gatehouse::gateway {

namespace asio = boost::asio;

HttpbinService::HttpbinService() : random_(std::random_device{}()) {}

proxy::Task<void> HttpbinService::serve(proxy::Exchange& ex) {
  auto body = co_await ex.read_body(kMaxBody);
  if (!body) {
    co_await ex.respond(proxy::make_local_response(413, "Payload Too Large\n"));
    co_return;
  }
  httpbin::Response answer = httpbin::respond({ex.view(), *body, {}}, random_());
  if (answer.delay.count() > 0) {
    proxy::Timer timer(co_await asio::this_coro::executor, answer.delay);
    co_await timer.async_wait(proxy::use_tuple);
  }
  proxy::LocalResponse res;
  res.status = answer.status;
  res.body = std::move(answer.body);
  res.chunked = answer.chunked;
  for (auto& [name, value] : answer.headers) res.headers.add(name, value);
  co_await ex.respond(std::move(res));
}

}  // namespace gatehouse::gateway
