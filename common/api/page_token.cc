#include "common/api/page_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/proto/canonical_bytes.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr char kVersion = 1;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr char kKeyLabel[] = "dermaflow page token key v1/";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* Bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

absl::Status BadToken() {
  return InvalidArgumentError(
      "page_token",
      "is not a next_page_token of this list for these filters (altered, from other filters, "
      "another list or another organization)");
}

std::string TokenOf(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("page_token");
  return field ? request.GetReflection()->GetString(request, field) : "";
}

// What the token is bound to besides its key: the list (the request type)
// and its filters.
std::string BoundData(const google::protobuf::Message& request) {
  return absl::StrCat(request.GetDescriptor()->full_name(), "\n",
                      CanonicalBytesWithout(request, {"page_token", "page_size"}));
}

// Parts as "<length>:<bytes>", so {"ab", "c"} and {"a", "bc"} differ.
std::string Serialize(const PagePosition& position) {
  std::string out;
  for (const std::string& part : position) absl::StrAppend(&out, part.size(), ":", part);
  return out;
}

std::optional<PagePosition> Parse(std::string_view text) {
  PagePosition position;
  while (!text.empty()) {
    const size_t colon = text.find(':');
    size_t length = 0;
    if (colon == std::string_view::npos ||
        !absl::SimpleAtoi(absl::string_view(text.data(), colon), &length) ||
        length > text.size() - colon - 1) {
      return std::nullopt;
    }
    position.emplace_back(text.substr(colon + 1, length));
    text.remove_prefix(colon + 1 + length);
  }
  return position;
}

}  // namespace

PageTokenCodec::PageTokenCodec(SecretSource secret) : source_(std::move(secret)) {}

absl::StatusOr<std::string> PageTokenCodec::OrganizationKey(std::string_view org) const {
  std::string secret;
  {
    absl::MutexLock lock(&mu_);
    secret = secret_;
  }
  if (secret.empty()) {
    DF_ASSIGN_OR_RETURN(secret, source_());
    if (secret.size() != kPageTokenSecretSize) {
      return absl::InternalError("the page token secret has the wrong size");
    }
    absl::MutexLock lock(&mu_);
    secret_ = secret;
  }
  // HMAC-SHA256 as the key-derivation function: one key per organization,
  // none of which tells anything about the others or the secret.
  const std::string label = absl::StrCat(kKeyLabel, absl::string_view(org.data(), org.size()));
  std::string key(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), Bytes(label), label.size(),
           Bytes(key), &length) == nullptr) {
    return absl::InternalError("cannot derive a page token key");
  }
  key.resize(length);
  return key;
}

absl::StatusOr<std::string> PageTokenCodec::Encode(std::string_view org,
                                                   const google::protobuf::Message& request,
                                                   const PagePosition& position) const {
  DF_ASSIGN_OR_RETURN(const std::string key, OrganizationKey(org));
  const std::string bound = BoundData(request);
  const std::string plain = Serialize(position);
  std::string sealed(1 + kNonceSize + plain.size() + kTagSize, '\0');
  sealed[0] = kVersion;
  unsigned char* nonce = Bytes(sealed) + 1;
  if (RAND_bytes(nonce, kNonceSize) != 1)
    return absl::InternalError("no randomness for a page token");

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
    return absl::InternalError("cannot seal a page token");
  }
  return absl::WebSafeBase64Escape(sealed);
}

absl::StatusOr<PagePosition> PageTokenCodec::Decode(
    std::string_view org, const google::protobuf::Message& request) const {
  const std::string token = TokenOf(request);
  if (token.empty()) return PagePosition();
  std::string sealed;
  if (!absl::WebSafeBase64Unescape(token, &sealed) || sealed.size() < 1 + kNonceSize + kTagSize ||
      sealed[0] != kVersion) {
    return BadToken();
  }
  DF_ASSIGN_OR_RETURN(const std::string key, OrganizationKey(org));
  const std::string bound = BoundData(request);
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
    return BadToken();
  }
  std::optional<PagePosition> position = Parse(plain);
  if (!position) return BadToken();
  return *std::move(position);
}

}  // namespace dermaflow::common
