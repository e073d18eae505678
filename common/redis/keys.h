// The one place Redis keys are built. Every tenant-owned key carries its
// organization as a hash tag, `df:{org}:...`, so tenants never share a key and
// Redis Cluster keeps each tenant in one slot (its Lua scripts stay atomic).
//
//   DF_ASSIGN_OR_RETURN(std::string key, TenantKey(org, "patient", id));
//   // -> "df:{acme-clinics}:patient:p-123"
//   std::string orgs = GlobalKey("orgs");  // -> "df:orgs"
#pragma once

#include <charconv>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dermaflow::common {

inline constexpr size_t kMaxOrgIdLength = 64;

// OK iff `org` is 1..64 characters of [A-Za-z0-9_-]: no '{', '}' or ':' can
// ever move a tenant out of its own hash tag or into another's key space.
absl::Status ValidateOrgId(std::string_view org);

namespace keys_internal {

// One key part: a string or an integer. (Debian's absl::AlphaNum does not
// take std::string_view, so keys have their own.)
class KeyPart {
 public:
  KeyPart(std::string_view text) : text_(text) {}    // NOLINT: implicit by design
  KeyPart(const std::string& text) : text_(text) {}  // NOLINT
  KeyPart(const char* text) : text_(text) {}         // NOLINT
  template <typename Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> &&
                                               !std::is_same_v<Int, char>,
                                           int> = 0>
  KeyPart(Int value) {  // NOLINT
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
    number_.assign(digits, end);
    is_number_ = true;
  }
  std::string_view view() const { return is_number_ ? std::string_view(number_) : text_; }

 private:
  std::string_view text_;
  std::string number_;
  bool is_number_ = false;
};

absl::StatusOr<std::string> BuildTenantKey(std::string_view org,
                                           std::initializer_list<KeyPart> parts);
std::string BuildGlobalKey(std::initializer_list<KeyPart> parts);
}  // namespace keys_internal

// `df:{org}:part1:part2...`. Parts may be strings or numbers; each must be
// non-empty and free of ':' so two different part lists never give one key.
// INVALID_ARGUMENT for a bad org or part.
template <typename... Parts>
absl::StatusOr<std::string> TenantKey(std::string_view org, const Parts&... parts) {
  return keys_internal::BuildTenantKey(org, {keys_internal::KeyPart(parts)...});
}

// `df:{org}:`, for SCAN patterns and scripts that derive keys from KEYS[1].
absl::StatusOr<std::string> TenantKeyPrefix(std::string_view org);

// `df:part1:part2...` for the few keys no tenant owns (e.g. the registry of
// organizations). Parts are constants in code, so nothing is validated.
template <typename... Parts>
std::string GlobalKey(const Parts&... parts) {
  return keys_internal::BuildGlobalKey({keys_internal::KeyPart(parts)...});
}

}  // namespace dermaflow::common
