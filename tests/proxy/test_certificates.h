// Certificates and keys for tests, made with OpenSSL in a temporary folder: self-signed
// P-256 certificates with chosen names and validity, encrypted keys, and garbage files.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace gatehouse::testing {

struct TestCertificate {
  std::string certificate_file;
  std::string key_file;
};

class CertificateFolder {
 public:
  CertificateFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gatehouse-tls-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  ~CertificateFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CertificateFolder(const CertificateFolder&) = delete;
  CertificateFolder& operator=(const CertificateFolder&) = delete;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& dir() const { return dir_; }

  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

  // `name`.crt and `name`.key: a self-signed certificate for common name `cn` with the SAN
  // DNS names `dns`, valid from now + `from_days` to now + `to_days`. With `passphrase`, the
  // key is written encrypted.
  TestCertificate make(const std::string& name, const std::string& cn,
                       const std::vector<std::string>& dns, long from_days = -1, long to_days = 30,
                       const std::string& passphrase = "") {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), ++serial_);
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400L);
    X509_set_pubkey(x, key);
    X509_NAME* subject = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(x, subject);
    if (!dns.empty()) {
      std::string san;
      for (const auto& d : dns) san += (san.empty() ? "DNS:" : ",DNS:") + d;
      X509_EXTENSION* ext =
          X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str());
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(x, key, EVP_sha256());
    TestCertificate out{path(name + ".crt"), path(name + ".key")};
    BIO* cert_bio = BIO_new_file(out.certificate_file.c_str(), "w");
    PEM_write_bio_X509(cert_bio, x);
    BIO_free(cert_bio);
    BIO* key_bio = BIO_new_file(out.key_file.c_str(), "w");
    if (passphrase.empty()) {
      PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PrivateKey(key_bio, key, EVP_aes_128_cbc(),
                               reinterpret_cast<const unsigned char*>(passphrase.data()),
                               static_cast<int>(passphrase.size()), nullptr, nullptr);
    }
    BIO_free(key_bio);
    X509_free(x);
    EVP_PKEY_free(key);
    return out;
  }

 private:
  std::filesystem::path dir_;
  long serial_ = 0;
};

}  // namespace gatehouse::testing
