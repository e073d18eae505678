#include "common/api/action_token.h"

#include <openssl/rand.h>

#include <optional>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/sealed_box.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr char kKeyLabel[] = "dermaflow patient action key v1";
constexpr char kBound[] = "dermaflow.patient_action.v1";
// Only scheduling opens action tokens; its API is the one that answers.
constexpr char kErrorDomain[] = "dermaflow.scheduling.v1";
constexpr size_t kTokenIdBytes = 12;

absl::Status Refused(std::string_view reason, const char* message) {
  return WithErrorInfo(absl::UnauthenticatedError(message), reason, kErrorDomain);
}

absl::Status Invalid() {
  return Refused(kActionTokenInvalid,
                 "action_token is not a valid action link (altered, truncated or not ours)");
}

absl::StatusOr<std::string> RandomTokenId() {
  std::string bytes(kTokenIdBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), kTokenIdBytes) != 1) {
    return absl::InternalError("no randomness for an action token");
  }
  return absl::WebSafeBase64Escape(bytes);
}

}  // namespace

ActionTokenCodec::ActionTokenCodec(CachedSecret::Source secret)
    : key_([source = std::move(secret)]() -> absl::StatusOr<std::string> {
        DF_ASSIGN_OR_RETURN(const std::string s, source());
        if (s.size() != kTokenSecretSize) {
          return absl::InternalError("the action token secret has the wrong size");
        }
        return DeriveKey(s, kKeyLabel);
      }) {}

absl::StatusOr<std::string> ActionTokenCodec::Mint(ActionClaims claims) const {
  FieldViolations v;
  if (claims.organization.empty()) v.Add("organization", "required");
  if (claims.action.empty()) v.Add("action", "required");
  if (claims.subject_id.empty()) v.Add("subject_id", "required");
  if (claims.expire_time == absl::InfinitePast()) v.Add("expire_time", "required");
  DF_RETURN_IF_ERROR(v.ToStatus());
  DF_ASSIGN_OR_RETURN(claims.token_id, RandomTokenId());
  DF_ASSIGN_OR_RETURN(const std::string key, key_.Get());
  return SealBox(key, kBound,
                 JoinParts({claims.organization, claims.action, claims.subject_id, claims.token_id,
                            absl::StrCat(absl::ToUnixSeconds(claims.expire_time))}));
}

absl::StatusOr<ActionClaims> ActionTokenCodec::Open(std::string_view token, absl::Time now) const {
  if (!LooksSealed(token)) return Invalid();
  DF_ASSIGN_OR_RETURN(const std::string key, key_.Get());
  std::optional<std::string> plain = OpenBox(key, kBound, token);
  if (!plain) return Invalid();
  std::optional<std::vector<std::string>> parts = SplitParts(*plain);
  int64_t expire_seconds = 0;
  if (!parts || parts->size() != 5 || !absl::SimpleAtoi((*parts)[4], &expire_seconds)) {
    return Invalid();
  }
  ActionClaims claims{.organization = (*parts)[0],
                      .action = (*parts)[1],
                      .subject_id = (*parts)[2],
                      .token_id = (*parts)[3],
                      .expire_time = absl::FromUnixSeconds(expire_seconds)};
  if (now >= claims.expire_time) {
    return Refused(kActionTokenExpired, "action_token has expired; ask the clinic for a new link");
  }
  return claims;
}

}  // namespace dermaflow::common
