// Validation of clinics, practitioners and rooms as Create/Update receive
// them, and of the request fields every RPC shares (request_id, page_size).
// Each Validate* adds one FieldViolation per bad field, named by its request
// path ("clinic.opening_hours[2].close"), so a front end can mark them all.
//
//   common::FieldViolations v;
//   ValidateClinic(request.clinic(), "clinic", v);
//   DF_RETURN_IF_ERROR(v.ToStatus());
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::scheduling {

void ValidateClinic(const v1::Clinic& clinic, absl::string_view prefix, common::FieldViolations& v);

// `clinics` are the organization's clinic ids (every clinic_ids entry must be
// one of them).
void ValidatePractitioner(const v1::Practitioner& practitioner, absl::string_view prefix,
                          const std::set<std::string>& clinics, common::FieldViolations& v);

void ValidateRoom(const v1::Room& room, absl::string_view prefix,
                  const std::set<std::string>& clinics, common::FieldViolations& v);

// Shared field checks.
bool IsE164(absl::string_view phone);
bool IsPlausibleEmail(absl::string_view email);
// An absolute https URL (http only for localhost, for development) without
// fragment, spaces or quotes, that a query parameter can be added to.
bool IsPatientAppUrl(absl::string_view url);

}  // namespace dermaflow::scheduling
