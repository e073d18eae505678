#include "services/notification/domain/idempotency_key.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"

namespace dermaflow::notification {

std::string IdempotencyKey(absl::string_view organization, absl::string_view reminder_id) {
  // Length prefixes keep ("a", "bc") and ("ab", "c") apart.
  const std::string input = absl::StrCat("send/v1|", organization.size(), ":", organization, "|",
                                         reminder_id.size(), ":", reminder_id);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "df1-";
  for (size_t i = 0; i < 16; ++i) {
    key.push_back(kHex[digest[i] >> 4]);
    key.push_back(kHex[digest[i] & 0xf]);
  }
  return key;
}

}  // namespace dermaflow::notification
