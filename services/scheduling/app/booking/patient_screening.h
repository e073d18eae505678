// Screens the patient for a booking through the protocol service
// (ScreenEligibility with the caller's token, on the first session's local
// date): blocking reasons refuse the booking, warnings need the
// practitioner's override, which is returned to be stored with it.
//
//   DF_ASSIGN_OR_RETURN(std::optional<v1::Override> o,
//                       ScreenPatient(deps, call, patient_id, subject, start, requested));
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

// `requested`: the request's override, null when it has none. Returns the
// override to store, nullopt when no warning needed one.
absl::StatusOr<std::optional<v1::Override>> ScreenPatient(
    SchedulingDeps& deps, const CallContext& call, const std::string& patient_id,
    const BookingSubject& s, absl::Time first_start, const v1::Override* requested);

}  // namespace dermaflow::scheduling
