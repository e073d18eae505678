// AIP-134 updates on protobuf's FieldMaskUtil: each Update RPC states its
// updatable paths as data, and one function checks the request's mask
// against them and copies the named fields from the request's resource onto
// the stored one. A named field left unset in the request is cleared;
// repeated fields and messages named as a whole are replaced as a whole.
//
//   const UpdatableFields kClinic{.paths = {"display_name", "opening_hours"}};
//   DF_RETURN_IF_ERROR(ApplyUpdateMask(request.clinic(), request.update_mask(), kClinic, stored));
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace dermaflow::common {

struct UpdatableFields {
  // The paths an update may name. "x.*" allows every direct sub-field of the
  // message field x. A mask's "*" stands for the entries without a dot.
  std::vector<std::string> paths;
  // Sub-fields an "x.*" entry does not cover (e.g. output-only ones).
  std::vector<std::string> read_only;
  // Said after a refused path, e.g. "consents change through SetConsent".
  std::string hint;
};

// The mask's paths with "*" expanded, in the order given, without repeats.
// INVALID_ARGUMENT naming `update_mask` when it is empty or names a path
// that is unknown or not in `updatable`.
absl::StatusOr<google::protobuf::FieldMask> CheckUpdateMask(
    const google::protobuf::Descriptor* type, const google::protobuf::FieldMask& mask,
    const UpdatableFields& updatable);

// Copies the fields of `checked` (from CheckUpdateMask) from `update` onto
// `target`, both of one message type.
void MergeUpdate(const google::protobuf::Message& update,
                 const google::protobuf::FieldMask& checked, google::protobuf::Message& target);

// CheckUpdateMask, then MergeUpdate.
absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const UpdatableFields& updatable, google::protobuf::Message& target);

}  // namespace dermaflow::common
