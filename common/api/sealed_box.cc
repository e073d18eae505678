#include "common/api/sealed_box.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::common {
namespace {

constexpr char kVersion = 1;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kKeySize = 32;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

}  // namespace

absl::StatusOr<std::string> DeriveKey(std::string_view secret, std::string_view label) {
  std::string key(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), Bytes(label), label.size(),
           Bytes(key), &length) == nullptr) {
    return absl::InternalError("cannot derive a sealing key");
  }
  key.resize(length);
  return key;
}

absl::StatusOr<std::string> SealBox(std::string_view key, std::string_view bound,
                                    std::string_view plain) {
  if (key.size() != kKeySize) return absl::InternalError("a sealing key has the wrong size");
  std::string sealed(1 + kNonceSize + plain.size() + kTagSize, '\0');
  sealed[0] = kVersion;
  unsigned char* nonce = Bytes(sealed) + 1;
  if (RAND_bytes(nonce, kNonceSize) != 1) return absl::InternalError("no randomness for a seal");

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  unsigned char* out = nonce + kNonceSize;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(bound),
                        static_cast<int>(bound.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &length, Bytes(plain), static_cast<int>(plain.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out + plain.size()) != 1) {
    return absl::InternalError("cannot seal");
  }
  return absl::WebSafeBase64Escape(sealed);
}

std::optional<std::string> OpenBox(std::string_view key, std::string_view bound,
                                   std::string_view token) {
  std::string sealed;
  if (key.size() != kKeySize ||
      !absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &sealed) ||
      sealed.size() < 1 + kNonceSize + kTagSize || sealed[0] != kVersion) {
    return std::nullopt;
  }
  const unsigned char* nonce = Bytes(sealed) + 1;
  const size_t plain_size = sealed.size() - 1 - kNonceSize - kTagSize;
  std::string tag = sealed.substr(1 + kNonceSize + plain_size);
  std::string plain(plain_size, '\0');

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(bound),
                        static_cast<int>(bound.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), Bytes(plain), &length, nonce + kNonceSize,
                        static_cast<int>(plain_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, Bytes(tag)) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), Bytes(plain) + length, &length) != 1) {
    return std::nullopt;
  }
  return plain;
}

bool LooksSealed(std::string_view token) {
  std::string sealed;
  return absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &sealed) &&
         sealed.size() >= 1 + kNonceSize + kTagSize && sealed[0] == kVersion;
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) absl::StrAppend(&out, part.size(), ":", part);
  return out;
}

std::optional<std::vector<std::string>> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const size_t colon = text.find(':');
    size_t length = 0;
    if (colon == std::string_view::npos ||
        !absl::SimpleAtoi(absl::string_view(text.data(), colon), &length) ||
        length > text.size() - colon - 1) {
      return std::nullopt;
    }
    parts.emplace_back(text.substr(colon + 1, length));
    text.remove_prefix(colon + 1 + length);
  }
  return parts;
}

}  // namespace dermaflow::common
