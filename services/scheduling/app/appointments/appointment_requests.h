// Field checks the life-cycle requests share: an id, a cancellation (reason
// and note), a completion (treated areas of the protocol, side effects,
// notes, products). INVALID_ARGUMENT naming every field at fault.
//
//   DF_RETURN_IF_ERROR(ValidateCancellation(request.cancellation()));
#pragma once

#include <string>

#include "absl/status/status.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"

namespace dermaflow::scheduling {

// INVALID_ARGUMENT id "required" when `id` is empty.
absl::Status RequireId(const std::string& id);

absl::Status ValidateCancellation(const v1::Cancellation& c);

// `c` on an appointment of `protocol` (its areas are the ones allowed).
absl::Status ValidateCompletion(const v1::Completion& c, const protocol::v1::Protocol& protocol);

}  // namespace dermaflow::scheduling
