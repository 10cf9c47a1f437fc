// A cache hit allocates nothing: the binary's operator new counts, and a warmed-up request
// (header list and arena reused, as the engine reuses them) is authenticated again.
#include <atomic>
#include <cstdlib>
#include <new>

#include "test_support.h"

namespace {
std::atomic<std::size_t> allocations{0};

void* counted_allocation(std::size_t size) {
  ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
}  // namespace

// Every non-aligned form, so no allocation escapes the count and new and delete always pair up
// (the sanitizer build checks that).
void* operator new(std::size_t size) {
  if (void* memory = counted_allocation(size)) return memory;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
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

namespace gatehouse::authn {
namespace {

TEST(Allocation, CacheHitWithEverySideEffectAllocatesNothing) {
  config::JwtRule rule = jwt_rule();
  rule.output_payload_to_header = "x-jwt-payload";
  rule.output_claim_to_headers = {{"x-sub", "sub"}, {"x-exp", "exp"}};
  const auto rules = requirement({rule});
  const KeyTable keys = default_keys();
  TokenCache cache;
  const std::string authorization = "Bearer " + good_token({.sub = "a-subject-longer-than-sso"});
  TestRequest request;
  request.query = "a=1";
  const auto authenticate_once = [&] {
    request.headers.clear();
    request.headers.add_view("authorization", authorization);
    request.headers.add_view("x-jwt-payload", "forged");
    Request view = request.view();
    return authenticate(*rules, view, keys, cache, kNow);
  };
  ASSERT_EQ(authenticate_once().kind, Outcome::Kind::Verified);  // the miss, and warm-up
  ASSERT_EQ(authenticate_once().kind, Outcome::Kind::Verified);
  const std::size_t before = allocations;
  const Outcome outcome = authenticate_once();
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_EQ(outcome.kind, Outcome::Kind::Verified);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(request.values("x-sub").size(), 1u);
  EXPECT_EQ(request.values("x-exp").size(), 1u);
  EXPECT_EQ(request.values("authorization").size(), 0u);
}

TEST(Allocation, TheCountSeesAllocations) {
  static void* volatile escaped;  // so the allocation cannot be optimized away
  const std::size_t before = allocations;
  escaped = ::operator new(100);
  EXPECT_EQ(allocations - before, 1u);
  ::operator delete(escaped);
}

}  // namespace
}  // namespace gatehouse::authn
