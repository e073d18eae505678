// Contraindication screening: one patient's medical profile against one
// protocol version, answering eligible or not with each reason as a code, a
// message for staff in their language and the profile field behind it. Pure
// (no gRPC, no Redis): ScreenEligibility fetches the patient and the protocol
// and calls this.
//
//   v1::ScreenEligibilityResponse r = Screen(protocol, patient, "de", absl::CivilDay(2026, 5, 4));
//   if (!r.eligible()) ...                   // r.blocking_reasons()
//   if (r.requires_override()) ...           // r.warnings(): relative contraindications
//
// Rules (protocol.proto): a matching or unanswered ABSOLUTE contraindication
// blocks; a matching or unanswered RELATIVE one warns. Allergies match the
// protocol's ingredients; an allergy to an unlisted substance (OTHER), or to
// an ingredient of a protocol that lists no allergy contraindication, always
// warns: a practitioner must judge it.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"

namespace dermaflow::protocol {

// The language findings are written in: that of `requested`, else of the
// patient's locale; "de" for German, "en" for everything else (the only two
// the messages exist in).
std::string ScreeningLocale(std::string_view requested, std::string_view patient_locale);

// Everything of the response but screen_time (the caller's clock).
v1::ScreenEligibilityResponse Screen(const v1::Protocol& protocol,
                                     const patient::v1::Patient& patient,
                                     std::string_view requested_locale,
                                     absl::CivilDay treatment_date);

// The request's treatment_date, or today in UTC when it is unset.
// INVALID_ARGUMENT naming "treatment_date" when it is not a complete, real
// date.
absl::StatusOr<absl::CivilDay> TreatmentDay(const v1::ScreenEligibilityRequest& request,
                                            absl::Time now);

// INVALID_ARGUMENT naming "areas[i]" for each requested area the protocol does
// not treat (or that is no TreatmentArea).
absl::Status CheckRequestedAreas(const v1::Protocol& protocol,
                                 const google::protobuf::RepeatedField<int>& areas);

}  // namespace dermaflow::protocol
