#include "services/patient/page_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "common/status/errors.h"

namespace dermaflow::patient {
namespace {

constexpr char kVersion = 1;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kFingerprintSize = 12;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

absl::Status BadToken(std::string_view why) {
  return common::InvalidArgumentError("page_token", why);
}

}  // namespace

std::string PageScope(std::string_view list, std::string_view org) {
  return "dermaflow.patient.v1/" + std::string(list) + "/" + std::string(org);
}

std::string QueryFingerprint(std::initializer_list<std::string_view> parts) {
  std::string input;
  for (std::string_view part : parts) {
    input += std::to_string(part.size()) + ":" + std::string(part);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(input), input.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), kFingerprintSize);
}

absl::StatusOr<std::string> EncodePageToken(std::string_view key, std::string_view scope,
                                            const PageCursor& cursor) {
  if (key.size() != kPageTokenKeySize) return absl::InternalError("page token key has the wrong size");
  if (cursor.query.size() != kFingerprintSize) return absl::InternalError("bad query fingerprint");
  const std::string plain = cursor.query + cursor.position;
  std::string sealed(1 + kNonceSize + plain.size() + kTagSize, '\0');
  sealed[0] = kVersion;
  unsigned char* nonce = Bytes(sealed) + 1;
  if (RAND_bytes(nonce, kNonceSize) != 1) return absl::InternalError("no randomness for a page token");

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  unsigned char* out = nonce + kNonceSize;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(scope), static_cast<int>(scope.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &length, Bytes(plain), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out + plain.size()) != 1) {
    return absl::InternalError("cannot seal a page token");
  }
  return absl::WebSafeBase64Escape(sealed);
}

absl::StatusOr<PageCursor> DecodePageToken(std::string_view key, std::string_view scope,
                                           std::string_view token) {
  if (key.size() != kPageTokenKeySize) return absl::InternalError("page token key has the wrong size");
  std::string sealed;
  if (!absl::WebSafeBase64Unescape(std::string(token), &sealed) ||
      sealed.size() < 1 + kNonceSize + kFingerprintSize + kTagSize || sealed[0] != kVersion) {
    return BadToken("is not a page token of this list");
  }
  const unsigned char* nonce = Bytes(sealed) + 1;
  const size_t plain_size = sealed.size() - 1 - kNonceSize - kTagSize;
  const unsigned char* in = nonce + kNonceSize;
  std::string tag = sealed.substr(1 + kNonceSize + plain_size);
  std::string plain(plain_size, '\0');

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(scope), static_cast<int>(scope.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), Bytes(plain), &length, in, static_cast<int>(plain_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, Bytes(tag)) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), Bytes(plain) + length, &length) != 1) {
    // Altered, or sealed for another organization or list.
    return BadToken("is not a page token of this list (altered, or from another list or organization)");
  }
  return PageCursor{plain.substr(0, kFingerprintSize), plain.substr(kFingerprintSize)};
}

}  // namespace dermaflow::patient
