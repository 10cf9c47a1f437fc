#include "idp/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>

#include "idp/idp.h"
#include "jose/base64url.h"

namespace gatehouse::idp {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMinSaltBytes = 16;
constexpr std::size_t kMaxSaltBytes = 64;

std::string pbkdf2(std::string_view password, std::string_view salt, std::uint32_t iterations) {
  std::string out(kHashBytes, '\0');
  const int ok =
      PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  // Only an allocation failure makes PBKDF2 fail; an empty hash then matches nothing.
  if (ok != 1) out.clear();
  return out;
}

// Splits off the text before the next '$'.
std::string_view next_field(std::string_view& rest) {
  const std::size_t dollar = rest.find('$');
  const std::string_view field = rest.substr(0, dollar);
  rest = dollar == std::string_view::npos ? std::string_view() : rest.substr(dollar + 1);
  return field;
}

}  // namespace

std::optional<PasswordHash> parse_password_hash(std::string_view text) {
  if (std::count(text.begin(), text.end(), '$') != 3) return std::nullopt;
  std::string_view rest = text;
  if (next_field(rest) != kScheme) return std::nullopt;
  const std::string_view iterations_text = next_field(rest);
  PasswordHash out;
  auto [end, error] = std::from_chars(
      iterations_text.data(), iterations_text.data() + iterations_text.size(), out.iterations);
  if (error != std::errc() || end != iterations_text.data() + iterations_text.size() ||
      out.iterations == 0 || out.iterations > kMaxHashIterations) {
    return std::nullopt;
  }
  if (!jose::base64url_decode(next_field(rest), out.salt) ||
      !jose::base64url_decode(next_field(rest), out.hash)) {
    return std::nullopt;
  }
  if (out.salt.size() < kMinSaltBytes || out.salt.size() > kMaxSaltBytes ||
      out.hash.size() != kHashBytes) {
    return std::nullopt;
  }
  return out;
}

PasswordHash derive_password_hash(std::string_view password, std::string salt,
                                  std::uint32_t iterations) {
  PasswordHash out{iterations, std::move(salt), {}};
  out.hash = pbkdf2(password, out.salt, iterations);
  return out;
}

std::string format_password_hash(const PasswordHash& hash) {
  return std::string(kScheme) + "$" + std::to_string(hash.iterations) + "$" +
         jose::base64url_encode(hash.salt) + "$" + jose::base64url_encode(hash.hash);
}

bool password_matches(std::string_view password, const PasswordHash& expected) {
  if (password.size() > kMaxPasswordBytes || expected.hash.size() != kHashBytes) return false;
  const std::string actual = pbkdf2(password, expected.salt, expected.iterations);
  return actual.size() == kHashBytes &&
         CRYPTO_memcmp(actual.data(), expected.hash.data(), kHashBytes) == 0;
}

std::string hash_password(std::string_view password, std::span<const unsigned char> salt,
                          std::uint32_t iterations) {
  return format_password_hash(derive_password_hash(
      password, std::string(reinterpret_cast<const char*>(salt.data()), salt.size()), iterations));
}

}  // namespace gatehouse::idp
