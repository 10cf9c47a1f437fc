#include "oidc/data_token.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "jose/base64url.h"

namespace gatehouse::oidc {
namespace {

// The DER SubjectPublicKeyInfo of a P-256 key, up to the uncompressed point's X and Y:
// SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING { 0x04 || X || Y } }.
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
constexpr std::size_t kP256CoordinateBytes = 32;
constexpr std::size_t kPemLineLength = 64;

Error sign_failed(std::string detail) {
  return Error{Status::DataTokenSignFailed, std::move(detail)};
}

bool fits_es256(const jose::PrivateKey& key) {
  return key.type() == jose::KeyType::Ec && key.curve() == jose::Curve::P256 &&
         key.fits(jose::Alg::ES256);
}

std::string json_string(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

// One decoded coordinate of the public JWK, exactly 32 bytes, or empty.
std::string coordinate(const boost::json::object& jwk, std::string_view name) {
  const boost::json::value* value = jwk.if_contains(name);
  std::string bytes;
  if (value == nullptr || !value->is_string() ||
      !jose::base64url_decode(value->get_string(), bytes) || bytes.size() != kP256CoordinateBytes) {
    return {};
  }
  return bytes;
}

}  // namespace

std::string base64url_padded(std::string_view bytes) {
  std::string text = jose::base64url_encode(bytes);
  text.append((4 - text.size() % 4) % 4, '=');
  return text;
}

Result<DataTokenSigner> DataTokenSigner::create(std::shared_ptr<const jose::PrivateKey> key,
                                                std::string_view signer, std::string_view issuer,
                                                std::string_view client_id) {
  if (key == nullptr || !fits_es256(*key)) return sign_failed("the key is not an ES256 key");
  if (key->kid().empty()) return sign_failed("the key has no kid");
  DataTokenSigner out;
  out.header_prefix_ = R"({"typ":"JWT","kid":)" + json_string(key->kid()) +
                       R"(,"alg":"ES256","iss":)" + json_string(issuer) + R"(,"client":)" +
                       json_string(client_id) + R"(,"signer":)" + json_string(signer) +
                       R"(,"exp":)";
  out.payload_suffix_ = R"(,"iss":)" + json_string(issuer) + "}";
  out.key_ = std::move(key);
  return out;
}

Result<std::string> DataTokenSigner::sign(std::string_view claims_json, std::int64_t exp) const {
  const std::size_t close = claims_json.find_last_not_of(" \t\r\n");
  if (!claims_json.starts_with('{') || close == std::string_view::npos ||
      claims_json[close] != '}') {
    return sign_failed("the claims are not a JSON object");
  }
  const std::string exp_text = std::to_string(exp);
  std::string payload(claims_json.substr(0, close));
  if (payload.find_first_not_of(" \t\r\n", 1) != std::string::npos) payload += ',';
  payload += R"("exp":)" + exp_text + payload_suffix_;

  std::string token = base64url_padded(header_prefix_ + exp_text + "}");
  token += '.';
  token += base64url_padded(payload);
  jose::Result<std::string> signature = key_->sign(jose::Alg::ES256, token);
  if (!signature.ok()) return sign_failed(std::string(jose::status_name(signature.status())));
  token += '.';
  token += base64url_padded(*signature);
  return token;
}

Result<std::string> public_key_pem(const jose::PrivateKey& key) {
  if (!fits_es256(key)) return sign_failed("the key is not a P-256 key");
  boost::system::error_code failure;
  const boost::json::value jwk = boost::json::parse(key.public_jwk(), failure);
  const boost::json::object* members = failure ? nullptr : jwk.if_object();
  const std::string x = members != nullptr ? coordinate(*members, "x") : std::string();
  const std::string y = members != nullptr ? coordinate(*members, "y") : std::string();
  if (x.empty() || y.empty()) return sign_failed("the public JWK has no P-256 point");

  std::string der(reinterpret_cast<const char*>(kP256SpkiPrefix), sizeof kP256SpkiPrefix);
  der += x;
  der += y;
  const std::string base64 = jose::base64_encode(der);
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (std::size_t at = 0; at < base64.size(); at += kPemLineLength) {
    pem += base64.substr(at, kPemLineLength);
    pem += '\n';
  }
  pem += "-----END PUBLIC KEY-----\n";
  return pem;
}

std::string uuid_kid(const std::array<std::uint8_t, 16>& random) {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<std::uint8_t, 16> bytes = random;
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string kid;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) kid += '-';
    kid += kHex[bytes[i] >> 4];
    kid += kHex[bytes[i] & 0x0f];
  }
  return kid;
}

}  // namespace gatehouse::oidc
