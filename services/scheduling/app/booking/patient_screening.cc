#include "services/scheduling/app/booking/patient_screening.h"

#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/screening.h"

namespace dermaflow::scheduling {

absl::StatusOr<std::optional<v1::Override>> ScreenPatient(
    SchedulingDeps& deps, const CallContext& call, const std::string& patient_id,
    const BookingSubject& s, absl::Time first_start, const v1::Override* requested) {
  protocol::v1::ScreenEligibilityRequest request;
  request.set_patient_id(patient_id);
  request.set_protocol_id(s.protocol.id());
  request.set_protocol_version(s.protocol.version());
  for (protocol::v1::TreatmentArea a : s.areas) request.add_areas(a);
  *request.mutable_treatment_date() = ToDate(absl::ToCivilDay(first_start, s.tz));
  DF_ASSIGN_OR_RETURN(protocol::v1::ScreenEligibilityResponse screening,
                      deps.protocols.ScreenEligibility(call.origin(), request));
  DF_RETURN_IF_ERROR(CheckScreening(screening, requested, "override"));
  if (!NeedsOverride(screening)) return std::nullopt;
  DF_ASSIGN_OR_RETURN(std::string practitioner_id, OverridingPractitioner(deps, call.caller));
  return RecordOverride(*requested, screening, practitioner_id, deps.clock.Now());
}

}  // namespace dermaflow::scheduling
