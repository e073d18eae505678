#include "common/api/request_id.h"

#include "absl/strings/str_cat.h"
#include "common/api/field_limits.h"
#include "common/proto/canonical_bytes.h"
#include "common/redis/lua_script.h"

namespace dermaflow::common {

std::optional<std::string> RequestIdProblem(std::string_view id) {
  if (id.empty()) return "is required (a UUID generated once per user action)";
  if (id.size() > kMaxRequestIdLength) {
    return absl::StrCat("must be at most ", kMaxRequestIdLength, " characters");
  }
  if (!IsIdentifier(id)) return "may only contain letters, digits and . _ ~ -";
  return std::nullopt;
}

void ValidateRequestId(std::string_view id, FieldViolations& violations, std::string_view field) {
  if (std::optional<std::string> problem = RequestIdProblem(id)) violations.Add(field, *problem);
}

std::string RequestFingerprint(const google::protobuf::Message& message) {
  return Sha1Hex(
      CanonicalBytesWithout(message, {"request_id", "page_size", "page_token", "validate_only"}));
}

absl::Status RequestIdReusedError() {
  return InvalidArgumentError("request_id", "was used before for a different request");
}

}  // namespace dermaflow::common
