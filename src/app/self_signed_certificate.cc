// The demo's TLS certificate, made with OpenSSL's X509 API (no openssl command needed).
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

#include "app/demo_state.h"
#include "jose/openssl_ptr.h"

namespace gatehouse::app {
namespace {

using jose::BignumPtr;
using KeyPtr = jose::EvpPkeyPtr;
using CertificatePtr = std::unique_ptr<X509, jose::OpensslFree<X509_free>>;
using BioPtr = std::unique_ptr<BIO, jose::OpensslFree<BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, jose::OpensslFree<X509_EXTENSION_free>>;

constexpr long kValiditySeconds = 365L * 24 * 3600;
// Issued an hour in the past, so a client whose clock is a little behind accepts it.
constexpr long kBackdateSeconds = 3600;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// A positive random 127-bit serial number, as RFC 5280 asks (at most 20 octets, unique).
bool set_random_serial(X509* certificate) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;
  BignumPtr serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return serial && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) != nullptr;
}

bool add_extensions(X509* certificate) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_key_identifier, "hash"},
  };
  for (const auto& [nid, value] : extensions) {
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) return false;
  }
  return true;
}

CertificatePtr make_certificate(EVP_PKEY* key) {
  CertificatePtr certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 ||
      !set_random_serial(certificate.get()) ||
      X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -kBackdateSeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), kValiditySeconds) == nullptr ||
      X509_set_pubkey(certificate.get(), key) != 1)
    return nullptr;
  X509_NAME* name = X509_get_subject_name(certificate.get());
  const auto* organization = reinterpret_cast<const unsigned char*>("gatehouse demo");
  const auto* common_name = reinterpret_cast<const unsigned char*>("localhost");
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, organization, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, common_name, -1, -1, 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1 || !add_extensions(certificate.get()) ||
      X509_sign(certificate.get(), key, EVP_sha256()) <= 0)
    return nullptr;
  return certificate;
}

}  // namespace

std::optional<std::string> write_self_signed_certificate(const std::string& certificate_path,
                                                         const std::string& key_path) {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return "cannot generate an ECDSA P-256 key";
  CertificatePtr certificate = make_certificate(key.get());
  if (!certificate) return "cannot build the self-signed certificate";
  BioPtr certificate_pem(BIO_new(BIO_s_mem()));
  BioPtr key_pem(BIO_new(BIO_s_mem()));
  if (!certificate_pem || !key_pem ||
      PEM_write_bio_X509(certificate_pem.get(), certificate.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1)
    return "cannot encode the certificate as PEM";
  // The key first: a certificate without its key is never left behind as if complete.
  if (auto problem = write_private_file(key_path, bio_text(key_pem.get()))) return problem;
  return write_private_file(certificate_path, bio_text(certificate_pem.get()));
}

bool certificate_still_valid(const std::string& certificate_path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(certificate_path.c_str(), "rb"), &fclose);
  if (!file) return false;
  CertificatePtr certificate(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!certificate) return false;
  time_t tomorrow = time(nullptr) + 24 * 3600;
  return X509_cmp_time(X509_get0_notAfter(certificate.get()), &tomorrow) > 0;
}

}  // namespace gatehouse::app
