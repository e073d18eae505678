// AIP-134 updates: copies the fields an update_mask names from the request's
// resource onto the stored one. Paths are top-level field names; "*" means
// every updatable field; repeated fields are replaced as a whole; a named
// field left unset in the request is cleared.
//
//   DF_RETURN_IF_ERROR(ApplyUpdateMask(request.clinic(), request.update_mask(),
//                                      {"display_name", "opening_hours"}, stored));
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace dermaflow::scheduling {

// INVALID_ARGUMENT naming update_mask when it is empty or names a path not in
// `updatable` (unknown, output only or immutable). `update` and `target` are
// of the same message type.
absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const std::set<std::string>& updatable,
                             google::protobuf::Message& target);

}  // namespace dermaflow::scheduling
