#include "proxy/upstream_pool.h"

#include <gtest/gtest.h>

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class UpstreamPoolTest : public ::testing::Test {
 protected:
  // An open (unconnected) socket is all the pool looks at.
  UpstreamPool::Connection open_connection(uint32_t requests) {
    auto stream = std::make_unique<TcpStream>(io_.get_executor());
    stream->socket().open(asio::ip::tcp::v4());
    return {std::move(stream), requests};
  }

  asio::io_context io_;
  UpstreamPool pool_;
  const asio::ip::tcp::endpoint a_{asio::ip::make_address("127.0.0.1"), 8000};
  const asio::ip::tcp::endpoint b_{asio::ip::make_address("127.0.0.1"), 8001};
  const UpstreamPool::Reuse forever_{.idle_timeout = milliseconds(60000), .max_requests = 0};
};

TEST_F(UpstreamPoolTest, EmptyPoolHasNothing) { EXPECT_FALSE(pool_.take(a_)); }

TEST_F(UpstreamPoolTest, ReturnsWhatWasPutForTheSameEndpointOnly) {
  pool_.put(a_, open_connection(1), forever_);
  EXPECT_FALSE(pool_.take(b_));
  auto again = pool_.take(a_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again.requests, 1u);
  EXPECT_FALSE(pool_.take(a_));
}

TEST_F(UpstreamPoolTest, NewestConnectionComesFirst) {
  pool_.put(a_, open_connection(1), forever_);
  pool_.put(a_, open_connection(2), forever_);
  EXPECT_EQ(pool_.take(a_).requests, 2u);
  EXPECT_EQ(pool_.take(a_).requests, 1u);
}

TEST_F(UpstreamPoolTest, ConnectionThatCarriedItsLastRequestIsDropped) {
  const UpstreamPool::Reuse twice{.idle_timeout = milliseconds(60000), .max_requests = 2};
  pool_.put(a_, open_connection(2), twice);
  EXPECT_FALSE(pool_.take(a_));
  pool_.put(a_, open_connection(1), twice);
  EXPECT_TRUE(pool_.take(a_));
}

TEST_F(UpstreamPoolTest, ExpiredConnectionIsNotReused) {
  pool_.put(a_, open_connection(1), {.idle_timeout = milliseconds(0), .max_requests = 0});
  EXPECT_FALSE(pool_.take(a_));
  EXPECT_EQ(pool_.idle(a_), 0u);
}

TEST_F(UpstreamPoolTest, ClosedConnectionIsNotReused) {
  auto connection = open_connection(1);
  connection.stream->socket().close();
  pool_.put(a_, std::move(connection), forever_);
  EXPECT_FALSE(pool_.take(a_));
}

TEST_F(UpstreamPoolTest, FullPoolDropsTheOldest) {
  for (uint32_t i = 0; i < UpstreamPool::kMaxIdlePerEndpoint + 1; ++i)
    pool_.put(a_, open_connection(i), forever_);
  EXPECT_EQ(pool_.idle(a_), UpstreamPool::kMaxIdlePerEndpoint);
  uint32_t oldest = ~0u;
  while (auto c = pool_.take(a_)) oldest = c.requests;
  EXPECT_EQ(oldest, 1u);  // connection 0 was dropped
}

TEST_F(UpstreamPoolTest, ActiveCountsAreKeptPerEndpoint) {
  ++pool_.active(a_);
  ++pool_.active(a_);
  EXPECT_EQ(pool_.active(a_), 2u);
  EXPECT_EQ(pool_.active(b_), 0u);
}

}  // namespace
}  // namespace gatehouse::proxy
