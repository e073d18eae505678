#include "services/notification/domain/reminder_id.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"

namespace dermaflow::notification {

std::string ReminderId(dermaflow::notification::v1::ReminderKind kind,
                       const std::string& subject_id, const std::string& rule_code,
                       const std::string& variant) {
  // Length prefixes keep ("a", "bc") and ("ab", "c") apart.
  const std::string input =
      absl::StrCat("reminder/v1|", static_cast<int>(kind), "|", subject_id.size(), ":", subject_id,
                   "|", rule_code.size(), ":", rule_code, "|", variant.size(), ":", variant);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (size_t i = 0; i < 8; ++i) {
    id[2 * i] = kHex[digest[i] >> 4];
    id[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return id;
}

bool IsWellFormedReminderId(const std::string& id) {
  if (id.size() != 16) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace dermaflow::notification
