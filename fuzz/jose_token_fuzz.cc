// Fuzz target for jose token parsing and signature verification against a fixed key set holding
// one key of every type (the RFC example keys, so the RFC tokens among the seeds verify).
// The first input byte picks the form: even, the rest is a compact token as received; odd, the
// rest is "header\npayload\nsignature", base64url-encoded here so mutations reach the JSON.
// Must never crash; broken invariants abort.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "jose/base64url.h"
#include "jose/jwks.h"
#include "jose/jwt.h"
#include "jose/verify.h"

namespace {

using namespace gatehouse::jose;

constexpr std::string_view kKeySet = R"({"keys":[
  {"kty":"oct","kid":"hmac","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"},
  {"kty":"RSA","kid":"rsa","e":"AQAB","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
  {"kty":"EC","kid":"p256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
  {"kty":"EC","kid":"p521","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"},
  {"kty":"OKP","kid":"ed25519","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
]})";

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "jose token invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

const Jwks& key_set() {
  static const Jwks jwks = [] {
    Result<Jwks> parsed = Jwks::parse(kKeySet, {.allow_oct_keys = true});
    if (!parsed.ok() || parsed->keys().size() != 5) std::abort();
    return std::move(parsed).value();
  }();
  return jwks;
}

// "a\nb\nc" -> "b64(a).b64(b).b64(c)"; fewer or more lines give fewer or more segments.
std::string encode_lines(std::string_view lines) {
  std::string token;
  for (std::size_t start = 0;;) {
    const std::size_t end = lines.find('\n', start);
    token += base64url_encode(lines.substr(start, end - start));
    if (end == std::string_view::npos) return token;
    token += '.';
    start = end + 1;
  }
}

// A segment that decodes is canonical: encoding the bytes gives back the very same text.
void check_canonical_base64url(std::string_view segment) {
  std::string bytes;
  if (base64url_decode(segment, bytes))
    require(base64url_encode(bytes) == segment, "base64url accepted a non-canonical text", segment);
}

void check_token(std::string_view token) {
  for (std::size_t start = 0; start <= token.size();) {
    const std::size_t end = std::min(token.find('.', start), token.size());
    check_canonical_base64url(token.substr(start, end - start));
    start = end + 1;
  }

  Result<Jws> jws = parse_jws(token);
  require(!status_message(jws.status()).empty(), "status without a message", token);
  Result<Jwt> jwt = parse_jwt(token);
  require(!jwt.ok() || jws.ok(), "a JWT that is not a JWS", token);
  if (!jws.ok()) return;

  require(jws->compact == token, "compact differs from the token", token);
  require(std::string(jws->signing_input()) + "." + base64url_encode(jws->signature) == token,
          "signing input and signature do not rebuild the token", token);
  require(base64url_encode(jws->payload) == jws->payload_base64url(), "payload segment mismatch",
          token);
  const Status verified = verify_signature(*jws, key_set());
  require(verified == Status::Ok || verified == Status::JwtVerificationFail ||
              verified == Status::JwksKidAlgMismatch ||
              verified == Status::JwtEd25519SignatureWrongLength,
          "verify_signature gave a parse status", token);
  if (!jwt.ok()) return;
  require(verify_signature(*jwt, key_set()) == verified, "JWT and JWS verify differently", token);
  for (std::int64_t now : {std::int64_t{0}, std::int64_t{1700000000}, INT64_MAX, INT64_MIN + 60}) {
    const Status timed = verify_time(*jwt, now);
    require(timed == Status::Ok || timed == Status::JwtExpired || timed == Status::JwtNotYetValid,
            "verify_time gave another status", token);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0)
    check_token(rest);
  else
    check_token(encode_lines(rest));
  return 0;
}
