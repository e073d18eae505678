// Checks a protocol a clinic wants to store (CreateProtocol, or UpdateProtocol
// after the mask was applied) against the rules of protocol.proto, naming
// every bad field so a front end can mark all of them at once.
//
//   common::FieldViolations v;
//   ValidateProtocol(request.protocol(), "protocol", v);
//   DF_RETURN_IF_ERROR(v.ToStatus());  // INVALID_ARGUMENT "protocol.areas[1]: ..."
//
// One deliberate relaxation of the proto comments: offsets and intervals
// may be any whole number of seconds (not only whole minutes, hours or days)
// so end-to-end tests can run a course with offsets of seconds; the session
// length stays in whole minutes.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/status/errors.h"
#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::protocol {

inline constexpr size_t kMaxDisplayNameLength = 100;
inline constexpr size_t kMaxDescriptionLength = 4000;
inline constexpr size_t kMaxFollowUpTextLength = 2000;
inline constexpr size_t kMaxCareTextLength = 1000;
inline constexpr size_t kMaxShortTextLength = 500;     // ingredient, contraindication, change note
inline constexpr size_t kMaxPatientInfoLength = 2000;  // side effects, when to call
inline constexpr int kMaxSessionCount = 20;
inline constexpr int kMaxFollowUps = 10;
inline constexpr int kMaxMaintenanceMonths = 60;
inline constexpr absl::Duration kMinSessionDuration = absl::Minutes(5);
inline constexpr absl::Duration kMaxSessionDuration = absl::Hours(8);

// Adds a violation for every bad field of `protocol`; field paths start with
// `prefix` ("protocol" -> "protocol.course_plan.interval"). Output-only
// fields (id, version, source, etag, times, updated_by) are not looked at.
void ValidateProtocol(const v1::Protocol& protocol, std::string_view prefix,
                      common::FieldViolations& violations);

// A stable machine code: [a-z0-9_], 1-64 characters.
bool IsValidCode(std::string_view code);

}  // namespace dermaflow::protocol
