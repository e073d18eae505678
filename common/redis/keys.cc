#include "common/redis/keys.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::common {
namespace {

constexpr char kPrefix[] = "df:";

bool IsOrgChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

}  // namespace

absl::Status ValidateOrgId(std::string_view org) {
  // The value itself is not echoed: it came from a caller and may be garbage.
  if (org.empty()) return absl::InvalidArgumentError("organization id is empty");
  if (org.size() > kMaxOrgIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("organization id is longer than ", kMaxOrgIdLength, " characters"));
  }
  for (char c : org) {
    if (!IsOrgChar(c)) {
      return absl::InvalidArgumentError(
          "organization id may only contain letters, digits, '_' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TenantKeyPrefix(std::string_view org) {
  if (absl::Status status = ValidateOrgId(org); !status.ok()) return status;
  std::string prefix = kPrefix;
  prefix.append("{").append(org).append("}:");
  return prefix;
}

namespace keys_internal {

absl::StatusOr<std::string> BuildTenantKey(std::string_view org,
                                           std::initializer_list<KeyPart> parts) {
  absl::StatusOr<std::string> key = TenantKeyPrefix(org);
  if (!key.ok()) return key;
  if (parts.size() == 0) {
    return absl::InvalidArgumentError("a tenant key needs at least one part after the org");
  }
  int index = 0;
  for (const KeyPart& part : parts) {
    ++index;
    std::string_view text = part.view();
    if (text.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("key part ", index, " is empty"));
    }
    if (text.find(':') != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("key part ", index, " contains ':'"));
    }
    if (index > 1) key->push_back(':');
    key->append(text);
  }
  return key;
}

std::string BuildGlobalKey(std::initializer_list<KeyPart> parts) {
  std::string key = kPrefix;
  bool first = true;
  for (const KeyPart& part : parts) {
    if (!first) key.push_back(':');
    key.append(part.view());
    first = false;
  }
  return key;
}

}  // namespace keys_internal
}  // namespace dermaflow::common
