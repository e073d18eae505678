#include "tests/unit/common_auth/jwt_test_keys.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

#include "absl/strings/escaping.h"

namespace dermaflow::common::testing {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!PEM_write_bio_PUBKEY(bio.get(), key)) throw std::runtime_error("PEM_write_bio_PUBKEY");
  return BioContents(bio.get());
}

PemKeyPair PemPair(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    throw std::runtime_error("PEM_write_bio_PrivateKey failed");
  }
  return PemKeyPair{BioContents(bio.get()), PublicPem(key)};
}

}  // namespace

RsaKeyPair GenerateRsaKeyPair(int bits) {
  KeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(bits)), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_RSA_gen failed");
  return PemPair(key.get());
}

PemKeyPair GenerateEcKeyPair(const char* curve) {
  KeyPtr key(EVP_EC_gen(curve), &EVP_PKEY_free);
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return PemPair(key.get());
}

std::string Base64Url(const std::string& bytes) { return absl::WebSafeBase64Escape(bytes); }

std::string HandSignedHs256(const std::string& header_json, const std::string& payload_json,
                            const std::string& secret) {
  std::string signing_input = Base64Url(header_json) + "." + Base64Url(payload_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_size);
  return signing_input + "." + Base64Url(std::string(reinterpret_cast<char*>(mac), mac_size));
}

std::string Unsigned(const std::string& header_json, const std::string& payload_json) {
  return Base64Url(header_json) + "." + Base64Url(payload_json) + ".";
}

}  // namespace dermaflow::common::testing
