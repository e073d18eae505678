#include "services/scheduling/app/appointments/appointment_requests.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/api/utf8.h"
#include "common/status/errors.h"

namespace dermaflow::scheduling {

absl::Status RequireId(const std::string& id) {
  return id.empty() ? common::InvalidArgumentError("id", "required") : absl::OkStatus();
}

absl::Status ValidateCompletion(const v1::Completion& c, const protocol::v1::Protocol& protocol) {
  common::FieldViolations v;
  if (c.treated_areas().empty()) v.Add("completion.treated_areas", "required: at least one area");
  for (int i = 0; i < c.treated_areas_size(); ++i) {
    const auto& allowed = protocol.areas();
    if (std::find(allowed.begin(), allowed.end(), c.treated_areas(i)) == allowed.end()) {
      v.Add(absl::StrCat("completion.treated_areas[", i, "]"), "not one of the protocol's areas");
    }
  }
  for (int i = 0; i < c.side_effects_size(); ++i) {
    if (c.side_effects(i) == v1::SIDE_EFFECT_UNSPECIFIED ||
        !v1::SideEffect_IsValid(c.side_effects(i))) {
      v.Add(absl::StrCat("completion.side_effects[", i, "]"), "must be a known side effect");
    }
  }
  if (common::Utf8Length(c.notes()) > 4000) v.Add("completion.notes", "at most 4000 characters");
  if (c.products_size() > 20) v.Add("completion.products", "at most 20");
  for (int i = 0; i < c.products_size(); ++i) {
    const std::string path = absl::StrCat("completion.products[", i, "]");
    if (!common::Utf8LengthBetween(c.products(i).name(), 1, 200))
      v.Add(path + ".name", "1-200 characters");
    if (common::Utf8Length(c.products(i).lot_number()) > 64)
      v.Add(path + ".lot_number", "at most 64 characters");
    if (common::Utf8Length(c.products(i).amount()) > 50)
      v.Add(path + ".amount", "at most 50 characters");
  }
  return v.ToStatus();
}

absl::Status ValidateCancellation(const v1::Cancellation& c) {
  common::FieldViolations v;
  if (c.reason() == v1::CANCELLATION_REASON_UNSPECIFIED ||
      !v1::CancellationReason_IsValid(c.reason())) {
    v.Add("cancellation.reason", "required");
  } else if (c.reason() == v1::CANCELLATION_REASON_PATIENT_ERASED) {
    v.Add("cancellation.reason", "PATIENT_ERASED is set by the service when a patient is erased");
  }
  if (common::Utf8Length(c.note()) > 500) v.Add("cancellation.note", "at most 500 characters");
  return v.ToStatus();
}

}  // namespace dermaflow::scheduling
