#include "common/auth/jws.h"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dermaflow::common {
namespace {

constexpr size_t kEs256SignatureBytes = 64;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string HmacSha256(std::string_view secret, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), Bytes(data), data.size(), mac,
       &size);
  return std::string(reinterpret_cast<char*>(mac), size);
}

// JWS carries ECDSA signatures as R||S; OpenSSL speaks DER.
std::string RawEcdsaToDer(std::string_view raw) {
  EcdsaSigPtr sig(ECDSA_SIG_new(), &ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(Bytes(raw), 32, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(raw) + 32, 32, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), size);
  OPENSSL_free(der);
  return out;
}

std::string DerEcdsaToRaw(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())), &ECDSA_SIG_free);
  if (!sig) return "";
  std::string raw(kEs256SignatureBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32) != 32) {
    return "";
  }
  return raw;
}

bool DigestVerify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data),
                          data.size()) == 1;
}

absl::StatusOr<std::string> DigestSign(EVP_PKEY* key, std::string_view data) {
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, Bytes(data), data.size()) != 1) {
    return absl::InvalidArgumentError("cannot sign with this key (is it a private key?)");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     Bytes(data), data.size()) != 1) {
    return absl::InvalidArgumentError("cannot sign with this key (is it a private key?)");
  }
  signature.resize(size);
  return signature;
}

std::string Base64Url(std::string_view bytes) {
  std::string out;
  absl::WebSafeBase64Escape(absl::string_view(bytes.data(), bytes.size()), &out);
  return out;
}

}  // namespace

absl::StatusOr<JwsParts> SplitCompactJws(std::string_view token) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(token.data(), token.size()), '.');
  JwsParts out;
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
      !absl::WebSafeBase64Unescape(parts[0], &out.header_json) ||
      !absl::WebSafeBase64Unescape(parts[1], &out.payload_json) ||
      !absl::WebSafeBase64Unescape(parts[2], &out.signature)) {
    return absl::UnauthenticatedError("token is malformed");
  }
  out.signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  return out;
}

bool VerifyJwsSignature(const JwsKey& key, std::string_view signing_input,
                        std::string_view signature) {
  switch (key.algorithm) {
    case JwsAlgorithm::kHs256: {
      if (key.secret.empty()) return false;
      const std::string mac = HmacSha256(key.secret, signing_input);
      return signature.size() == mac.size() &&
             CRYPTO_memcmp(mac.data(), signature.data(), mac.size()) == 0;
    }
    case JwsAlgorithm::kRs256:
      return key.pkey && DigestVerify(key.pkey.get(), signing_input, signature);
    case JwsAlgorithm::kEs256: {
      if (!key.pkey || signature.size() != kEs256SignatureBytes) return false;
      const std::string der = RawEcdsaToDer(signature);
      return !der.empty() && DigestVerify(key.pkey.get(), signing_input, der);
    }
  }
  return false;
}

absl::StatusOr<std::string> SignCompactJws(const JwsKey& key, std::string_view header_json,
                                           std::string_view payload_json) {
  const std::string signing_input =
      absl::StrCat(Base64Url(header_json), ".", Base64Url(payload_json));
  std::string signature;
  if (key.algorithm == JwsAlgorithm::kHs256) {
    if (key.secret.empty()) return absl::InvalidArgumentError("HS256 key has no secret");
    signature = HmacSha256(key.secret, signing_input);
  } else {
    if (!key.pkey) return absl::InvalidArgumentError("signing key is empty");
    absl::StatusOr<std::string> signed_bytes = DigestSign(key.pkey.get(), signing_input);
    if (!signed_bytes.ok()) return signed_bytes.status();
    signature =
        key.algorithm == JwsAlgorithm::kEs256 ? DerEcdsaToRaw(*signed_bytes) : *signed_bytes;
    if (signature.empty()) return absl::InternalError("cannot encode the ES256 signature");
  }
  return absl::StrCat(signing_input, ".", Base64Url(signature));
}

}  // namespace dermaflow::common
