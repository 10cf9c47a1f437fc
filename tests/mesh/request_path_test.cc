// The request path: route() allocates nothing on the common path (forward without rewrite,
// 404, conditions on single-valued headers) and one Router serves many threads at once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <thread>

#include "mesh/router.h"
#include "mesh_test_support.h"

// Counts every allocation of this thread; all replaceable forms go through malloc/free so
// sanitizers see matching pairs.
namespace {
thread_local long allocations = 0;

void* counted_allocation(std::size_t size) noexcept {
  ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* counted_allocation_or_throw(std::size_t size) {
  if (void* memory = counted_allocation(size)) return memory;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return counted_allocation_or_throw(size); }
void* operator new[](std::size_t size) { return counted_allocation_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_allocation(size);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }

namespace gatehouse::mesh::test {
namespace {

// Allocations made by one route() call, and what it decided.
std::pair<long, std::string> route_counting(const Router& router, uint16_t port,
                                            const RequestView& request) {
  long before = allocations;
  Decision decision = router.route(port, request, 42);
  long used = allocations - before;
  return {used, describe(decision)};
}

TEST(RouteAllocations, CommonPathsAllocateNothing) {
  auto snapshot = httpbin_snapshot();
  auto conditions = uri(prefix("/api"));
  conditions.headers.emplace_back("x-user", regex("[a-z]+"));
  conditions.query_params.emplace_back("v", exact("2"));
  conditions.method = exact("GET");
  auto& http = snapshot.virtual_services[0].http;
  http.insert(http.begin(), route_to("api", {conditions}));
  auto router = compile_or_fail(snapshot);
  ASSERT_NE(router, nullptr);

  Request conditional =
      Request("/api/x", "Gateway.Example.com:80").header("x-user", "alice").query("a=1&v=2");
  Request catch_all = Request("/status/200").header("accept", "*/*");
  RequestView conditional_view = conditional.view();
  RequestView catch_all_view = catch_all.view();
  const std::string httpbin = "forward outbound|8000||httpbin.foo.svc.cluster.local";
  EXPECT_EQ(route_counting(*router, 80, conditional_view),
            std::make_pair(0L, std::string("forward outbound|80||api.foo.svc.cluster.local")));
  EXPECT_EQ(route_counting(*router, 80, catch_all_view), std::make_pair(0L, httpbin));
  EXPECT_EQ(route_counting(*router, 8080, catch_all_view),
            std::make_pair(0L, std::string("not-found")));
}

TEST(RouterThreads, ConcurrentCallersGetTheSameDecisions) {
  auto snapshot = httpbin_snapshot();
  auto& http = snapshot.virtual_services[0].http;
  http.insert(http.begin(), route_to("api", {uri(regex("/api/[0-9]+"))}));
  http[0].route = {destination("a", 80, 30), destination("b", 80, 70)};
  auto router = compile_or_fail(snapshot);
  ASSERT_NE(router, nullptr);
  const Request requests[] = {Request("/api/12"), Request("/status/200"), Request("/api/x")};
  std::vector<std::string> expected;
  for (uint64_t i = 0; i < 300; ++i) {
    expected.push_back(describe(router->route(80, requests[i % 3].view(), i)));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<RequestView> views;
      for (const auto& request : requests) views.push_back(request.view());
      for (int round = 0; round < 50; ++round) {
        for (uint64_t i = 0; i < 300; ++i) {
          if (describe(router->route(80, views[i % 3], i)) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace gatehouse::mesh::test
