// oidc_tool: gatehouse's oidc module on the command line, for the npm jose cross-check
// (crosscheck.mjs). Test-only; not installed.
//   oidc_tool data-token CLAIMS_JSON EXP
//       signs x-amzn-oidc-data for CLAIMS_JSON with a fresh ES256 key; prints one JSON line
//       {"kid":...,"pem":...,"token":...} (issuer https://idp.example, client gatehouse-client)
//   oidc_tool id-token JWKS_FILE ISSUER CLIENT_ID NONCE NOW
//       validates one ID token per stdin line; prints one status name per line; exit 0 if all Ok
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "jose/jwks.h"
#include "jose/sign.h"
#include "oidc/data_token.h"
#include "oidc/id_token.h"
#include "oidc/userinfo.h"

namespace {

using namespace gatehouse;

constexpr int kUsageError = 2;

int data_token(const char* claims_json, const char* exp_text) {
  std::random_device device;
  std::array<std::uint8_t, 16> random{};
  for (auto& byte : random) byte = static_cast<std::uint8_t>(device());
  jose::Result<jose::PrivateKey> key =
      jose::PrivateKey::generate(jose::Alg::ES256, oidc::uuid_kid(random));
  if (!key.ok()) return 1;
  auto shared = std::make_shared<const jose::PrivateKey>(std::move(key).value());
  oidc::Result<oidc::DataTokenSigner> signer = oidc::DataTokenSigner::create(
      shared, "arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/gatehouse/1",
      "https://idp.example", "gatehouse-client");
  // The claims go through userinfo parsing, as on the request path.
  oidc::Result<oidc::Userinfo> userinfo =
      oidc::parse_userinfo(200, claims_json, oidc::claims_subject(claims_json), 0);
  if (!signer.ok() || !userinfo.ok()) {
    std::cerr << "oidc_tool: unusable claims or key\n";
    return 1;
  }
  oidc::Result<std::string> token = signer->sign(userinfo->claims_json, std::atoll(exp_text));
  oidc::Result<std::string> pem = oidc::public_key_pem(*shared);
  if (!token.ok() || !pem.ok()) return 1;
  boost::json::object out{{"kid", shared->kid()}, {"pem", *pem}, {"token", *token}};
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}

int id_token(const char* jwks_path, const char* issuer, const char* client_id, const char* nonce,
             const char* now) {
  std::ifstream file(jwks_path, std::ios::binary);
  if (!file) return kUsageError;
  const std::string json(std::istreambuf_iterator<char>(file), {});
  jose::Result<jose::Jwks> jwks = jose::Jwks::parse(json);
  if (!jwks.ok()) {
    std::cerr << "oidc_tool: JWKS: " << jose::status_name(jwks.status()) << "\n";
    return kUsageError;
  }
  const oidc::IdTokenCheck check{
      .issuer = issuer, .client_id = client_id, .nonce = nonce, .now = std::atoll(now)};
  bool all_ok = true;
  for (std::string line; std::getline(std::cin, line);) {
    oidc::Result<oidc::IdToken> result = oidc::validate_id_token(line, *jwks, check);
    all_ok = all_ok && result.ok();
    std::cout << oidc::status_name(result.ok() ? oidc::Status::Ok : result.error().status) << "\n";
  }
  return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "data-token" && argc == 4) return data_token(argv[2], argv[3]);
  if (command == "id-token" && argc == 7)
    return id_token(argv[2], argv[3], argv[4], argv[5], argv[6]);
  std::cerr << "usage: oidc_tool data-token CLAIMS_JSON EXP\n"
               "       oidc_tool id-token JWKS_FILE ISSUER CLIENT_ID NONCE NOW\n";
  return kUsageError;
}
