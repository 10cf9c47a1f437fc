// A sealed session as browser cookies, the way ALB stores it: `<name>-0`..`<name>-3` shards of
// at most 4000 bytes each, read back from a request's cookies, and the Set-Cookie values that
// write or expire them. Pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "session/cookies.h"
#include "session/result.h"

namespace gatehouse::session {

// Browsers keep about 4 KB per cookie; ALB accepts 16 KB of session in all.
inline constexpr std::size_t kMaxShards = 4;
inline constexpr std::size_t kMaxShardBytes = 4000;
inline constexpr std::size_t kMaxSealedBytes = kMaxShards * kMaxShardBytes;
// ALB's cookie lifetime, 7 days whatever sessionTimeout is: the session's own end is sealed
// inside the value and checked by open().
inline constexpr std::int64_t kCookieLifetimeSeconds = 7 * 24 * 3600;

// "<cookie_name>-<index>".
std::string shard_name(std::string_view cookie_name, std::size_t index);

// The gateway's own cookies under `cookie_name`: its shards -0..-3, then AWSALBAuthNonce. What
// remove_cookies takes so that sessions never reach the upstream; build it once per rule.
std::array<std::string, kMaxShards + 1> gateway_cookie_names(std::string_view cookie_name);

// `sealed` cut into pieces of kMaxShardBytes (the last one shorter), as views into it; none for
// an empty text. Fails with SessionTooLarge when that takes more than kMaxShards pieces.
Result<std::vector<std::string_view>> split_shards(std::string_view sealed);

// The sealed value carried by `cookies`: the shards of `cookie_name` joined in index order,
// wherever they stand in the header (for a repeated shard, the first one counts). Fails with
// CookieMissing when there is no shard, CookieShardMissing unless the shards present are
// exactly -0..-(n-1).
Result<std::string> join_shards(std::span<const Cookie> cookies, std::string_view cookie_name);

// The kMaxShards Set-Cookie values that store `sealed` under `cookie_name`: one per shard,
//   NAME-i=VALUE; Expires=<IMF-fixdate of expires_at>; Path=/; Secure; HttpOnly; SameSite=None
// then expiring values (as expired_session_set_cookies) for the shard names left over, so a
// session that shrank leaves no stale shard behind. Fails with SessionTooLarge as split_shards.
// REQUIRES: is_cookie_name(cookie_name), checked when the configuration is loaded.
Result<std::vector<std::string>> session_set_cookies(std::string_view cookie_name,
                                                     std::string_view sealed,
                                                     std::int64_t expires_at);

// The kMaxShards Set-Cookie values that delete every shard (logout):
//   NAME-i=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly; SameSite=None
// REQUIRES: is_cookie_name(cookie_name).
std::vector<std::string> expired_session_set_cookies(std::string_view cookie_name);

// The RFC 9110 IMF-fixdate of `unix_seconds` ("Sun, 06 Nov 1994 08:49:37 GMT"), clamped to
// 1970-01-01 .. 9999-12-31 so the text always has its fixed shape.
std::string imf_fixdate(std::int64_t unix_seconds);

}  // namespace gatehouse::session
