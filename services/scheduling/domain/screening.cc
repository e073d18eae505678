#include "services/scheduling/domain/screening.h"

#include <algorithm>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

using protocol::v1::ScreenEligibilityResponse;
using protocol::v1::ScreeningFinding;

constexpr char kScreeningTypeUrl[] =
    "type.googleapis.com/dermaflow.protocol.v1.ScreenEligibilityResponse";

std::string Subject(const ScreeningFinding& finding) {
  return absl::StrCat("contraindication/", protocol::v1::ContraindicationCode_Name(finding.code()));
}

absl::Status Refuse(const std::string& message, const std::vector<common::PreconditionViolation>& v,
                    const ScreenEligibilityResponse& screening) {
  absl::Status status = common::FailedPreconditionError(message, v);
  status.SetPayload(kScreeningTypeUrl, absl::Cord(screening.SerializeAsString()));
  return status;
}

}  // namespace

absl::Status CheckScreening(const ScreenEligibilityResponse& screening,
                            const v1::Override* requested, const std::string& override_field) {
  if (!screening.blocking_reasons().empty()) {
    std::vector<common::PreconditionViolation> v;
    for (const ScreeningFinding& f : screening.blocking_reasons()) {
      v.push_back({"CONTRAINDICATION", Subject(f), f.message()});
    }
    return Refuse("the patient must not receive this protocol (contraindication)", v, screening);
  }
  if (screening.warnings().empty()) return absl::OkStatus();
  if (requested == nullptr) {
    std::vector<common::PreconditionViolation> v;
    for (const ScreeningFinding& f : screening.warnings()) {
      v.push_back({"OVERRIDE_REQUIRED", Subject(f), f.message()});
    }
    return Refuse("screening found warnings: a practitioner's override is required", v, screening);
  }
  const size_t reason_length = common::Utf8Length(requested->reason());
  if (reason_length < 10 || reason_length > 1000) {
    return common::InvalidArgumentError(absl::StrCat(override_field, ".reason"),
                                        "must be 10-1000 characters");
  }
  std::vector<common::PreconditionViolation> missing;
  for (const ScreeningFinding& f : screening.warnings()) {
    const auto& codes = requested->acknowledged_codes();
    if (std::find(codes.begin(), codes.end(), f.code()) == codes.end()) {
      missing.push_back(
          {"OVERRIDE_INCOMPLETE", Subject(f), absl::StrCat("not acknowledged: ", f.message())});
    }
  }
  if (!missing.empty()) {
    return Refuse("the override does not acknowledge every warning", missing, screening);
  }
  return absl::OkStatus();
}

bool NeedsOverride(const ScreenEligibilityResponse& screening) {
  return screening.blocking_reasons().empty() && !screening.warnings().empty();
}

v1::Override RecordOverride(const v1::Override& requested,
                            const ScreenEligibilityResponse& screening,
                            const std::string& practitioner_id, absl::Time now) {
  v1::Override out;
  out.set_reason(requested.reason());
  *out.mutable_acknowledged_codes() = requested.acknowledged_codes();
  out.set_practitioner_id(practitioner_id);
  *out.mutable_override_time() = ToTimestamp(now);
  *out.mutable_findings() = screening.warnings();
  return out;
}

bool IsContraindicationRefusal(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         status.GetPayload(kScreeningTypeUrl).has_value();
}

}  // namespace dermaflow::scheduling
