// Fuzz target for what a browser controls of a session: the Cookie header and the sealed value.
// The first input byte picks the form: even, the rest is a Cookie header, parsed, searched for
// session shards, opened and stripped of the gateway's cookies; odd, the rest is a sealed value
// opened directly and, as plaintext, decoded as a session. Must never crash; broken invariants
// abort. Key A below seals the seeds, so a seed that is a real cookie opens.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "session/cookies.h"
#include "session/seal.h"
#include "session/shards.h"

namespace {

using namespace gatehouse::session;

constexpr std::string_view kCookieName = "S";
constexpr std::int64_t kNow = 1700000000;

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "session cookie invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

const SessionKeys& keys() {
  static const SessionKeys keys = [] {
    Result<SessionKeys, KeyFileError> parsed = SessionKeys::parse(
        "mItEZMuNmPkrAZdu/Ojwqlj1L0LZdDP8YC8mGvvu8Wk=\n"
        "LJnmeyZE7o+ejMc3JSWQFkDynw/qbIfhvR4AvfAZqZY=\n");
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return keys;
}

// Every way open() may refuse a value.
constexpr Status kOpenFailures[] = {Status::CookieTooLarge,   Status::CookieBadBase64,
                                    Status::CookieTooShort,   Status::CookieUnsupportedVersion,
                                    Status::CookieUnknownKey, Status::CookieAuthenticationFailed,
                                    Status::CookieBadPayload, Status::SessionExpired};

// An opened session seals and opens again to itself.
void check_open(std::string_view sealed, std::string_view input) {
  Result<Session> session = open(sealed, keys(), kCookieName, kNow);
  if (!session.ok()) {
    require(std::find(std::begin(kOpenFailures), std::end(kOpenFailures), session.error()) !=
                std::end(kOpenFailures),
            "open gave a status outside its contract", input);
    return;
  }
  Result<std::string> resealed = seal(*session, keys(), kCookieName);
  require(resealed.ok(), "an opened session does not seal again", input);
  Result<Session> reopened = open(*resealed, keys(), kCookieName, kNow);
  require(reopened.ok() && *reopened == *session, "reseal round trip differs", input);
}

bool within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_header(std::string_view header) {
  std::vector<Cookie> cookies;
  const Status parsed = parse_cookie_header(header, cookies);
  require(parsed == Status::Ok || parsed == Status::CookieHeaderTooLarge ||
              parsed == Status::CookieHeaderTooManyCookies,
          "parse gave another status", header);
  require(parsed == Status::Ok || cookies.empty(), "a refused header left cookies", header);
  for (const Cookie& cookie : cookies) {
    require(is_cookie_name(cookie.name), "cookie name is not a token", header);
    require(within(cookie.name, header) && within(cookie.value, header), "view outside header",
            header);
    require(cookie.value.find_first_of(" \",;\\") == std::string_view::npos,
            "value holds a byte outside cookie-octet", header);
    require(find_cookie(cookies, cookie.name).value().data() <= cookie.value.data(),
            "find_cookie did not return the first duplicate", header);
  }

  Result<std::string> joined = join_shards(cookies, kCookieName);
  if (joined.ok())
    check_open(*joined, header);
  else
    require(joined.error() == Status::CookieMissing || joined.error() == Status::CookieShardMissing,
            "join gave another status", header);

  // Removing the gateway's cookies leaves exactly the other cookies, in order.
  static const auto names = gateway_cookie_names(kCookieName);
  const auto is_gateway = [](const Cookie& cookie) {
    return std::find(names.begin(), names.end(), cookie.name) != names.end();
  };
  std::string stripped;
  const bool removed = remove_cookies(header, names, stripped);
  if (!removed) {
    require(std::none_of(cookies.begin(), cookies.end(), is_gateway),
            "a gateway cookie was not removed", header);
    return;
  }
  require(stripped.size() < header.size(), "removal grew the header", header);
  if (parsed != Status::Ok) return;
  std::vector<Cookie> expected, left;
  std::copy_if(cookies.begin(), cookies.end(), std::back_inserter(expected),
               [&](const Cookie& cookie) { return !is_gateway(cookie); });
  require(parse_cookie_header(stripped, left) == Status::Ok, "stripped header is refused", header);
  require(left.size() == expected.size(), "stripped header has other cookies", header);
  for (std::size_t i = 0; i < left.size(); ++i)
    require(left[i].name == expected[i].name && left[i].value == expected[i].value,
            "stripped header changed a cookie", header);
}

void check_sealed(std::string_view sealed) {
  check_open(sealed, sealed);
  // The payload parser is out of the fuzzer's reach behind the AEAD; fed directly, whatever it
  // accepts must be the one encoding of what it returns.
  Result<Session> decoded = decode_session(sealed);
  if (!decoded.ok()) return;
  Result<std::string> encoded = encode_session(*decoded);
  require(encoded.ok() && *encoded == sealed, "decode_session accepted a non-canonical text",
          sealed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0)
    check_header(rest);
  else
    check_sealed(rest);
  return 0;
}
