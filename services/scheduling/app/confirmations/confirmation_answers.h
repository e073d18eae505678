// The patient's answer to a confirmation request, however it arrives: staff
// record a phone answer (ConfirmAppointment), the patient-facing action
// service passes on a link or SMS answer (AnswerConfirmation). CONFIRMED and
// RESCHEDULE_REQUESTED change the appointment's confirmation and publish
// appointment.confirmed / appointment.reschedule_requested; DECLINED also
// cancels the appointment exactly as CancelAppointment with reason
// PATIENT_REQUEST does (appointment.cancelled: reminders end, the slot is
// freed), in the same commit. Rules: domain/confirmation_rules.h.
//
//   DF_ASSIGN_OR_RETURN(v1::Appointment a,
//                       AnswerConfirmation(deps, call, id, v1::CONFIRMATION_STATE_CONFIRMED,
//                                          ConfirmationChannel::kLink));
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

enum class ConfirmationChannel { kStaff, kLink, kSms };

// Records `answer` (CONFIRMED, DECLINED or RESCHEDULE_REQUESTED; anything
// else is INVALID_ARGUMENT "answer") for the caller's organization. Checks
// no role: the caller is trusted to have authorized the answer (staff roles
// in ConfirmAppointment, the action token in the patient action service).
// The same answer again returns the appointment unchanged (nothing written,
// no event); FAILED_PRECONDITION CONFIRMATION_ANSWERED after the other final
// answer, APPOINTMENT_STATE when the appointment is not BOOKED (cancelled,
// past), TOO_LATE once it started; NOT_FOUND for an unknown id.
// answered_by is the caller's subject. Returns the appointment as changed,
// redacted for the caller.
absl::StatusOr<v1::Appointment> AnswerConfirmation(const SchedulingDeps& deps,
                                                   const CallContext& call,
                                                   std::string_view appointment_id,
                                                   v1::ConfirmationState answer,
                                                   ConfirmationChannel via);

// ConfirmAppointment: the caller's role, the request, then AnswerConfirmation
// via kStaff (honouring the optional etag).
absl::StatusOr<v1::Appointment> ConfirmAppointment(const SchedulingDeps& deps,
                                                   const CallContext& call,
                                                   const v1::ConfirmAppointmentRequest& request);

}  // namespace dermaflow::scheduling
