// Prints a failed call so the user knows what to fix: the gRPC code and
// message, the decoded google.rpc details (BadRequest fields mapped to this
// command's options, PreconditionFailure violations, ResourceInfo, ErrorInfo,
// screening findings) and a hint per code. With -o json (or yaml) the same
// goes to stderr as a google.rpc.Status document.
//
//   error: FAILED_PRECONDITION: outside opening hours
//     violation OUTSIDE_OPENING_HOURS clinic/c1: ...
//     hint: pick a start from `dermactl slots`
#pragma once

#include "absl/status/status.h"
#include "tools/dermactl/cli.h"
#include "tools/dermactl/context.h"

namespace dermaflow::dermactl {

void PrintError(const absl::Status& status, const Command& command, Context& ctx);

}  // namespace dermaflow::dermactl
