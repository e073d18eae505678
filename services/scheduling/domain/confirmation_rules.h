// Appointment confirmations as pure rules: when a booked appointment's
// request goes out and until when the patient may answer (from the clinic's
// ConfirmationPolicy), what the sweeper does when those times pass, and how
// an answer changes the appointment. No Redis, no gRPC: the sweeper, the
// booking paths and the answer functions call these, tests use a fake clock.
//
//   NOT_REQUESTED --request_time--> REQUESTED --answer_deadline--> NO_ANSWER
//   NOT_REQUESTED, REQUESTED, NO_ANSWER, RESCHEDULE_REQUESTED
//       --answer--> CONFIRMED | DECLINED | RESCHEDULE_REQUESTED
//   CONFIRMED and DECLINED are final (the same answer again changes nothing).
//
//   *a.mutable_confirmation() = PlanConfirmation(clinic.confirmation_policy(), start, tz, now);
//   if (AdvanceConfirmation(a, now) == ConfirmationStep::kRequested) { ...event... }
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::scheduling {

inline constexpr absl::Duration kDefaultRequestLead = absl::Hours(48);
inline constexpr absl::Duration kDefaultAnswerWithin = absl::Hours(24);
// An appointment starting sooner than this after it is booked or moved is
// not asked (the patient just arranged it).
inline constexpr absl::Duration kMinRequestLead = absl::Hours(1);

// The policy with its defaults filled in.
struct ConfirmationTimes {
  bool enabled = true;
  absl::Duration request_lead = kDefaultRequestLead;
  absl::Duration answer_within = kDefaultAnswerWithin;
};
ConfirmationTimes EffectiveTimes(const v1::ConfirmationPolicy& policy);

// request_lead 1 h..30 d, answer_within 15 min..request_lead, whole minutes;
// violations named "<prefix>.request_lead" / "<prefix>.answer_within".
void ValidateConfirmationPolicy(const v1::ConfirmationPolicy& policy, absl::string_view prefix,
                                common::FieldViolations& v);

// The confirmation of an appointment booked (or moved) at `now` to start at
// `start`: NOT_REQUESTED, with request_time = start - request_lead (whole
// days counted on the clinic's calendar in `tz`, so DST does not shift the
// local time), but not before `now`, and answer_deadline = request_time +
// answer_within, but not after `start`. Without times when the policy is
// disabled or the start is less than kMinRequestLead away.
v1::Confirmation PlanConfirmation(const v1::ConfirmationPolicy& policy, absl::Time start,
                                  absl::TimeZone tz, absl::Time now);

// When the sweeper must next look at `appointment`: request_time while
// NOT_REQUESTED, answer_deadline while REQUESTED; nullopt when nothing is
// left to do (answered, no times, or the appointment is no longer BOOKED).
std::optional<absl::Time> NextConfirmationCheck(const v1::Appointment& appointment);

enum class ConfirmationStep { kNone, kRequested, kUnanswered };

// Applies what is due at `now`: REQUESTED once request_time passed
// (request_time becomes `now`; a late request keeps its planned time to
// answer, up to the start), NO_ANSWER once answer_deadline passed
// unanswered. A request not sent by the start is dropped (times cleared,
// kNone). Touches update_time when it changes anything; at most one step
// per call.
ConfirmationStep AdvanceConfirmation(v1::Appointment& appointment, absl::Time now);

// INVALID_ARGUMENT naming `field` unless `answer` is CONFIRMED, DECLINED or
// RESCHEDULE_REQUESTED.
absl::Status ValidateAnswer(v1::ConfirmationState answer, absl::string_view field);

// Records `answer` (validated) at `now`. Returns false when the
// confirmation already holds this answer (nothing changes: answering twice
// is harmless). FAILED_PRECONDITION CONFIRMATION_ANSWERED when it holds the
// other final answer (CONFIRMED may still become RESCHEDULE_REQUESTED), APPOINTMENT_STATE unless
// BOOKED, TOO_LATE once the appointment started. DECLINED only sets the confirmation: the caller
// cancels the appointment (Cancel, reason PATIENT_REQUEST) in the same change.
absl::StatusOr<bool> ApplyAnswer(v1::Appointment& appointment, v1::ConfirmationState answer,
                                 v1::ConfirmationChannel via, absl::string_view answered_by,
                                 absl::Time now);

// "NO_ANSWER", ... (the enum name without its prefix).
std::string ConfirmationStateName(v1::ConfirmationState state);

}  // namespace dermaflow::scheduling
