// What a screening result (protocol.v1 ScreenEligibility) means for a
// booking: blocking reasons refuse it (FAILED_PRECONDITION CONTRAINDICATION,
// one violation per reason, subject contraindication/<code>); warnings need
// an override whose acknowledged codes cover every warning
// (OVERRIDE_REQUIRED / OVERRIDE_INCOMPLETE otherwise). The refusals carry the
// whole ScreenEligibilityResponse as a detail, so front ends can show its
// localized messages. Pure.
//
//   DF_RETURN_IF_ERROR(CheckScreening(screening, request.has_override() ? &request.override() :
//   nullptr)); if (NeedsOverride(screening)) appointment.mutable_override() = RecordOverride(...);
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"

namespace dermaflow::scheduling {

// Refuses on blocking reasons and on warnings without a complete override;
// INVALID_ARGUMENT naming `override_field`.reason when the given override's
// reason is not 10-1000 characters. `requested` may be null.
absl::Status CheckScreening(const protocol::v1::ScreenEligibilityResponse& screening,
                            const v1::Override* requested, const std::string& override_field);

// True when the booking needs (and, after CheckScreening, has) an override.
bool NeedsOverride(const protocol::v1::ScreenEligibilityResponse& screening);

// The override as stored on the appointment: the practitioner's reason and
// codes, plus who (`practitioner_id`), when (`now`) and the findings seen.
v1::Override RecordOverride(const v1::Override& requested,
                            const protocol::v1::ScreenEligibilityResponse& screening,
                            const std::string& practitioner_id, absl::Time now);

// True when `status` refused a booking for a contraindication (for metrics).
bool IsContraindicationRefusal(const absl::Status& status);

}  // namespace dermaflow::scheduling
