// jose_tool: gatehouse's jose module on the command line, so tests in other languages (the npm
// jose cross-check) can sign and verify with it. Test-only; not installed.
//   jose_tool keygen ALG [KID]                  prints a new private JWK
//   jose_tool sign ALG PRIVATE_JWK_FILE [HEADER_JSON PAYLOAD_JSON]
//                                               prints a token; without the JSON arguments the
//                                               header and payload are stdin's first two lines
//   jose_tool verify JWKS_FILE [TOKEN]          prints the status name; exit 0 only on Ok.
//                                               Without TOKEN: one token per stdin line, one
//                                               status name per output line, exit 0 if all Ok
// verify parses the token as a JWT and checks its signature (not the time claims); the key set
// may hold oct keys.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "jose/jwks.h"
#include "jose/jwt.h"
#include "jose/sign.h"
#include "jose/verify.h"

namespace {

using namespace gatehouse::jose;

constexpr int kUsageError = 2;

std::optional<std::string> read_file(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

int fail(std::string_view what, Status status) {
  std::cerr << "jose_tool: " << what << ": " << status_name(status) << ": "
            << status_message(status) << "\n";
  return 1;
}

std::optional<Alg> alg_argument(const char* name) {
  const std::optional<Alg> alg = alg_from_name(name);
  if (!alg) std::cerr << "jose_tool: unknown algorithm " << name << "\n";
  return alg;
}

int keygen(const char* alg_text, const char* kid) {
  const std::optional<Alg> alg = alg_argument(alg_text);
  if (!alg) return kUsageError;
  Result<PrivateKey> key = PrivateKey::generate(*alg, kid);
  if (!key.ok()) return fail("keygen", key.status());
  std::cout << key->private_jwk() << "\n";
  return 0;
}

int sign(const char* alg_text, const char* jwk_path, int json_count, char** json) {
  const std::optional<Alg> alg = alg_argument(alg_text);
  const std::optional<std::string> jwk = read_file(jwk_path);
  if (!alg || !jwk) return kUsageError;
  std::string header, payload;
  if (json_count == 2) {
    header = json[0];
    payload = json[1];
  } else if (!std::getline(std::cin, header) || !std::getline(std::cin, payload)) {
    std::cerr << "jose_tool: sign wants the header and payload JSON on two lines\n";
    return kUsageError;
  }
  Result<PrivateKey> key = PrivateKey::from_jwk(*jwk);
  if (!key.ok()) return fail("private JWK", key.status());
  Result<std::string> token = sign_compact(header, payload, *key, *alg);
  if (!token.ok()) return fail("sign", token.status());
  std::cout << *token << "\n";
  return 0;
}

Status verify_token(std::string_view token, const Jwks& jwks) {
  Result<Jwt> jwt = parse_jwt(token);
  return jwt.ok() ? verify_signature(*jwt, jwks) : jwt.status();
}

int verify(const char* jwks_path, const char* token) {
  const std::optional<std::string> json = read_file(jwks_path);
  if (!json) return kUsageError;
  Result<Jwks> jwks = Jwks::parse(*json, {.allow_oct_keys = true});
  if (!jwks.ok()) return fail("JWKS", jwks.status());
  if (token != nullptr) {
    const Status status = verify_token(token, *jwks);
    std::cout << status_name(status) << "\n";
    return status == Status::Ok ? 0 : 1;
  }
  bool all_ok = true;
  for (std::string line; std::getline(std::cin, line);) {
    const Status status = verify_token(line, *jwks);
    all_ok = all_ok && status == Status::Ok;
    std::cout << status_name(status) << "\n";
  }
  return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "keygen" && (argc == 3 || argc == 4))
    return keygen(argv[2], argc == 4 ? argv[3] : "");
  if (command == "sign" && (argc == 4 || argc == 6))
    return sign(argv[2], argv[3], argc - 4, argv + 4);
  if (command == "verify" && (argc == 3 || argc == 4))
    return verify(argv[2], argc == 4 ? argv[3] : nullptr);
  std::cerr << "usage: jose_tool keygen ALG [KID]\n"
               "       jose_tool sign ALG PRIVATE_JWK_FILE [HEADER_JSON PAYLOAD_JSON]\n"
               "       jose_tool verify JWKS_FILE [TOKEN]\n";
  return kUsageError;
}
