// Field paths of a Patient: which ones UpdatePatient may change, applying an
// update mask, which paths a record sets (for audit entries), and the
// BASIC view (everything but the medical profile).
//
//   DF_ASSIGN_OR_RETURN(UpdatePaths paths, ParseUpdateMask(request.update_mask()));
//   v1::Patient merged = ApplyUpdate(current, request.patient(), paths);
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace dermaflow::patient {

// The normalized paths of an update mask ("*" expanded to the top-level
// updatable fields), in a stable order without duplicates.
using UpdatePaths = std::vector<std::string>;

// INVALID_ARGUMENT naming `update_mask` when it is empty or has a path that
// is unknown or not updatable (consents, id, etag, output-only fields).
absl::StatusOr<UpdatePaths> ParseUpdateMask(const google::protobuf::FieldMask& mask);

// `current` with each path of `paths` replaced by its value in `patch`; a
// path unset in `patch` is cleared in the result.
v1::Patient ApplyUpdate(const v1::Patient& current, const v1::Patient& patch,
                        const UpdatePaths& paths);

// True for "medical_profile" and its sub-paths.
bool IsMedicalPath(const std::string& path);

// Splits `paths` into the personal-data ones and the medical ones.
void SplitMedicalPaths(const UpdatePaths& paths, std::vector<std::string>* personal,
                       std::vector<std::string>* medical);

// The paths a new record sets, for its CREATE audit entry: top-level fields,
// and each answered medical fact as "medical_profile.<fact>".
std::vector<std::string> SetFieldPaths(const v1::Patient& patient);

// `patient` without its medical profile (PATIENT_VIEW_BASIC).
v1::Patient BasicView(v1::Patient patient);

}  // namespace dermaflow::patient
