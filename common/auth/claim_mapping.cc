#include "common/auth/claim_mapping.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr size_t kMaxSubjectBytes = 256;
constexpr size_t kMaxRoles = 64;

absl::StatusOr<std::vector<std::string>> RolesFrom(const Value* value, std::string_view name) {
  std::vector<std::string> roles;
  if (value == nullptr) return roles;
  auto bad = [&] {
    return absl::UnauthenticatedError(
        absl::StrCat("token claim ", std::string(name), " is not an array of strings"));
  };
  if (value->kind_case() == Value::kStringValue) {
    for (absl::string_view role : absl::StrSplit(value->string_value(), ' ', absl::SkipEmpty())) {
      roles.emplace_back(role);
    }
  } else if (value->kind_case() == Value::kListValue) {
    for (const Value& v : value->list_value().values()) {
      if (v.kind_case() != Value::kStringValue) return bad();
      roles.push_back(v.string_value());
    }
  } else {
    return bad();
  }
  if (roles.size() > kMaxRoles) {
    return absl::UnauthenticatedError(
        absl::StrCat("token claim ", std::string(name), " has too many roles"));
  }
  return roles;
}

}  // namespace

bool IsValidOrganization(std::string_view org) {
  if (org.empty() || org.size() > 64) return false;
  for (char c : org) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const Value* FindClaim(const Struct& claims, std::string_view name) {
  auto whole = claims.fields().find(std::string(name));
  if (whole != claims.fields().end()) return &whole->second;
  const Struct* object = &claims;
  const Value* found = nullptr;
  for (absl::string_view segment :
       absl::StrSplit(absl::string_view(name.data(), name.size()), '.')) {
    if (object == nullptr) return nullptr;
    auto it = object->fields().find(std::string(segment));
    if (it == object->fields().end()) return nullptr;
    found = &it->second;
    object = found->kind_case() == Value::kStructValue ? &found->struct_value() : nullptr;
  }
  return found;
}

absl::StatusOr<Caller> CallerFromClaims(const Struct& claims, const ClaimMapping& mapping) {
  Caller caller;
  const Value* org = FindClaim(claims, mapping.organization);
  if (org == nullptr || org->kind_case() != Value::kStringValue ||
      !IsValidOrganization(org->string_value())) {
    return absl::UnauthenticatedError(absl::StrCat("token has no valid organization claim ",
                                                   mapping.organization,
                                                   " (1-64 of [A-Za-z0-9_-])"));
  }
  caller.organization = org->string_value();
  const Value* sub = FindClaim(claims, "sub");
  if (sub == nullptr || sub->kind_case() != Value::kStringValue || sub->string_value().empty() ||
      sub->string_value().size() > kMaxSubjectBytes) {
    return absl::UnauthenticatedError("token has no valid sub claim");
  }
  caller.subject = sub->string_value();
  DF_ASSIGN_OR_RETURN(caller.roles, RolesFrom(FindClaim(claims, mapping.roles), mapping.roles));
  return caller;
}

}  // namespace dermaflow::common
