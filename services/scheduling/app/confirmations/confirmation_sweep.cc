#include "services/scheduling/app/confirmations/confirmation_sweep.h"

#include <optional>
#include <utility>
#include <vector>

#include "common/status/macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/confirmations/confirmation_metrics.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/confirmation_rules.h"
#include "services/scheduling/domain/ids.h"

namespace dermaflow::scheduling {

absl::StatusOr<SweepTotals> ConfirmationSweep::SweepOrganization(const std::string& org) {
  SweepTotals totals;
  DF_ASSIGN_OR_RETURN(std::vector<std::string> due,
                      deps_.appointments.DueConfirmationChecks(org, deps_.clock.Now(), batch_));
  totals.more = static_cast<int>(due.size()) >= batch_;
  absl::Status first_error;
  for (const std::string& id : due) {
    ++totals.checked;
    // One broken appointment must not hold up the others.
    absl::Status status = SweepOne(org, id, totals);
    if (!status.ok() && first_error.ok()) first_error = std::move(status);
  }
  if (!first_error.ok()) return first_error;
  return totals;
}

absl::Status ConfirmationSweep::SweepOne(const std::string& org, const std::string& id,
                                         SweepTotals& totals) {
  const absl::Time now = deps_.clock.Now();
  absl::StatusOr<AppointmentRecord> read = deps_.appointments.GetAppointment(org, id);
  if (absl::IsNotFound(read.status())) return deps_.appointments.DropConfirmationCheck(org, id);
  DF_RETURN_IF_ERROR(read.status());
  const AppointmentRecord& before = *read;
  v1::Appointment after = before.appointment;
  const ConfirmationStep step = AdvanceConfirmation(after, now);

  Change change;
  std::optional<v1::Clinic> clinic;
  if (step == ConfirmationStep::kRequested) {
    DF_ASSIGN_OR_RETURN(clinic, deps_.resources.GetClinic(org, after.clinic_id()));
    if (!EffectiveTimes(clinic->confirmation_policy()).enabled) {
      // The clinic switched confirmations off after the booking: ask nothing.
      after.mutable_confirmation()->clear_request_time();
      after.mutable_confirmation()->clear_answer_deadline();
      after.mutable_confirmation()->set_state(v1::CONFIRMATION_STATE_NOT_REQUESTED);
    }
  }
  if (google::protobuf::util::MessageDifferencer::Equals(after, before.appointment)) {
    // Nothing due (an early or stale index entry): the commit re-scores it.
    change.appointments.push_back({before, after});
  } else {
    after.set_etag(NewEtag());
    change.appointments.push_back({before, after});
    if (after.confirmation().state() != before.appointment.confirmation().state()) {
      if (!clinic) {
        DF_ASSIGN_OR_RETURN(clinic, deps_.resources.GetClinic(org, after.clinic_id()));
      }
      DF_ASSIGN_OR_RETURN(v1::Practitioner practitioner,
                          deps_.resources.GetPractitioner(org, after.practitioner_id()));
      std::optional<CourseSnapshot> snapshot;
      if (!after.course_id().empty()) {
        DF_ASSIGN_OR_RETURN(v1::Course course,
                            deps_.appointments.GetCourse(org, after.course_id()));
        DF_ASSIGN_OR_RETURN(snapshot, LoadCourseSnapshot(deps_, org, course, {after}));
      }
      const EventEnvelope envelope{org, kConfirmationActor, now};
      if (auto event = ConfirmationEvent(
              envelope, before.appointment, after,
              MakeAppointmentInfo(after, *clinic, practitioner, snapshot ? &*snapshot : nullptr))) {
        change.events.push_back(std::move(*event));
      }
    }
  }
  absl::Status status = deps_.appointments.Commit(org, change);
  if (absl::IsAborted(status)) {  // another sweeper or a writer got there first
    ++totals.raced;
    return absl::OkStatus();
  }
  DF_RETURN_IF_ERROR(status);
  const v1::ConfirmationState state = after.confirmation().state();
  if (state == before.appointment.confirmation().state()) return absl::OkStatus();
  if (state == v1::CONFIRMATION_STATE_REQUESTED) ++totals.requested;
  if (state == v1::CONFIRMATION_STATE_NO_ANSWER) ++totals.unanswered;
  if (deps_.confirmation_metrics != nullptr) {
    deps_.confirmation_metrics->Record(state, v1::CONFIRMATION_CHANNEL_UNSPECIFIED);
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
