// Cost of the session cookie per request: sealing a typical 2 KB Okta session (once per login
// or refresh), opening it (every authenticated request), and the request-path steps around
// open: reading the shards out of a browser's Cookie header and stripping the gateway's
// cookies before the request goes upstream.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "session/cookies.h"
#include "session/seal.h"
#include "session/shards.h"

namespace gatehouse::session {
namespace {

constexpr std::string_view kCookieName = "AWSELBAuthSessionCookie";
constexpr std::int64_t kNow = 1700000000;

const SessionKeys& keys() {
  static const SessionKeys keys = [] {
    Result<SessionKeys, KeyFileError> parsed =
        SessionKeys::parse("mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=\n");
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return keys;
}

// An Okta login: a ~1 KB JWT access token, a refresh token and userinfo claims; 2048 bytes
// encoded, which seals to 2776 characters: one shard.
Session typical_session() {
  Session session;
  session.expires_at = kNow + 604800;
  session.access_token_expires_at = kNow + 3600;
  session.access_token =
      "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0." + std::string(600, 'p') + "." + std::string(342, 's');
  session.refresh_token = std::string(40, 'r');
  session.claims_json =
      R"({"sub":"00u1b2c3d4e5f6g7h8i9","name":"Alice Example","email":"alice@example.com",)"
      R"("email_verified":true,"groups":["Everyone","httpbin"],"zoneinfo":"America/Los_Angeles"})";
  Result<std::string> encoded = encode_session(session);
  if (!encoded.ok() || encoded->size() > 2048) std::abort();
  session.claims_json += std::string(2048 - encoded->size(), ' ');
  return session;
}

std::string sealed_or_die() {
  Result<std::string> sealed = seal(typical_session(), keys(), kCookieName);
  if (!sealed.ok()) std::abort();
  return std::move(sealed).value();
}

// What a browser sends: analytics and app cookies around the session shard and the nonce.
std::string browser_cookie_header(const std::string& sealed) {
  return "_ga=GA1.2.1234567890.1700000000; theme=dark; " + shard_name(kCookieName, 0) + "=" +
         sealed + "; AWSALBAuthNonce=bm9uY2U; _gid=GA1.2.987654321.1700000000; lang=en";
}

void BM_Seal(benchmark::State& state) {
  const Session session = typical_session();
  for (auto _ : state) {
    Result<std::string> sealed = seal(session, keys(), kCookieName);
    if (!sealed.ok()) state.SkipWithError("seal failed");
    benchmark::DoNotOptimize(sealed);
  }
}

void BM_Open(benchmark::State& state) {
  const std::string sealed = sealed_or_die();
  for (auto _ : state) {
    Result<Session> session = open(sealed, keys(), kCookieName, kNow);
    if (!session.ok()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(session);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sealed.size()));
}

// A tampered cookie: refused at the tag check, the cost an attacker can make the gateway pay.
void BM_OpenTampered(benchmark::State& state) {
  std::string sealed = sealed_or_die();
  sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
  for (auto _ : state) {
    Result<Session> session = open(sealed, keys(), kCookieName, kNow);
    if (session.ok()) state.SkipWithError("tampered value opened");
    benchmark::DoNotOptimize(session);
  }
}

// Parse the header, join the shards, open: the whole per-request read, cookies vector reused.
void BM_ReadSessionFromCookieHeader(benchmark::State& state) {
  const std::string header = browser_cookie_header(sealed_or_die());
  std::vector<Cookie> cookies;
  for (auto _ : state) {
    cookies.clear();
    if (parse_cookie_header(header, cookies) != Status::Ok) state.SkipWithError("parse failed");
    Result<std::string> joined = join_shards(cookies, kCookieName);
    if (!joined.ok() || !open(*joined, keys(), kCookieName, kNow).ok())
      state.SkipWithError("read failed");
  }
}

void BM_RemoveGatewayCookies(benchmark::State& state) {
  const std::string header = browser_cookie_header(sealed_or_die());
  const auto names = gateway_cookie_names(kCookieName);
  std::string stripped;
  for (auto _ : state) {
    if (!remove_cookies(header, names, stripped)) state.SkipWithError("nothing removed");
    benchmark::DoNotOptimize(stripped.data());
  }
}

BENCHMARK(BM_Seal);
BENCHMARK(BM_Open);
BENCHMARK(BM_OpenTampered);
BENCHMARK(BM_ReadSessionFromCookieHeader);
BENCHMARK(BM_RemoveGatewayCookies);

}  // namespace
}  // namespace gatehouse::session
