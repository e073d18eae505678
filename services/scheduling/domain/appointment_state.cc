#include "services/scheduling/domain/appointment_state.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

using v1::AppointmentState;

absl::Status TooEarly(const v1::Appointment& appointment, absl::string_view what,
                      absl::string_view from_when) {
  return common::FailedPreconditionError(
      absl::StrCat("too early to ", what, " appointment ", appointment.id()),
      {{"TOO_EARLY", absl::StrCat("appointment/", appointment.id()),
        absl::StrCat(what, " is allowed from ", from_when)}});
}

void Touch(v1::Appointment& appointment, absl::Time now) {
  *appointment.mutable_update_time() = ToTimestamp(now);
}

}  // namespace

std::string StateName(AppointmentState state) {
  constexpr std::string_view kPrefix = "APPOINTMENT_STATE_";
  std::string name = v1::AppointmentState_Name(state);
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name.empty() ? absl::StrCat(static_cast<int>(state)) : name;
}

bool IsTransitionAllowed(AppointmentState from, AppointmentState to) {
  switch (from) {
    case v1::APPOINTMENT_STATE_BOOKED:
      return to == v1::APPOINTMENT_STATE_ARRIVED || to == v1::APPOINTMENT_STATE_FULFILLED ||
             to == v1::APPOINTMENT_STATE_CANCELLED || to == v1::APPOINTMENT_STATE_NOSHOW;
    case v1::APPOINTMENT_STATE_ARRIVED:
      return to == v1::APPOINTMENT_STATE_FULFILLED || to == v1::APPOINTMENT_STATE_CANCELLED;
    default:
      return false;  // final states, and UNSPECIFIED (never stored)
  }
}

bool HoldsSlot(AppointmentState state) {
  return state == v1::APPOINTMENT_STATE_BOOKED || state == v1::APPOINTMENT_STATE_ARRIVED;
}

absl::Status CheckTransition(const v1::Appointment& appointment, AppointmentState to) {
  if (IsTransitionAllowed(appointment.state(), to)) return absl::OkStatus();
  const std::string from_name = StateName(appointment.state());
  const std::string to_name = StateName(to);
  return common::FailedPreconditionError(
      absl::StrCat("appointment ", appointment.id(), " cannot go from ", from_name, " to ",
                   to_name),
      {{"APPOINTMENT_STATE", absl::StrCat("appointment/", appointment.id()),
        absl::StrCat("the appointment is ", from_name, "; ", from_name, " -> ", to_name,
                     " is not allowed")}});
}

absl::Status CheckIn(v1::Appointment& appointment, absl::Time now, absl::TimeZone tz) {
  if (absl::Status s = CheckTransition(appointment, v1::APPOINTMENT_STATE_ARRIVED); !s.ok())
    return s;
  const absl::CivilDay day = absl::ToCivilDay(ToTime(appointment.start_time()), tz);
  if (now < absl::FromCivil(day, tz)) {
    return TooEarly(appointment, "check-in",
                    absl::StrCat("the appointment's local date ", absl::FormatCivilTime(day)));
  }
  appointment.set_state(v1::APPOINTMENT_STATE_ARRIVED);
  *appointment.mutable_arrive_time() = ToTimestamp(now);
  Touch(appointment, now);
  return absl::OkStatus();
}

absl::Status Complete(v1::Appointment& appointment, v1::Completion completion, absl::Time now,
                      absl::string_view actor) {
  if (absl::Status s = CheckTransition(appointment, v1::APPOINTMENT_STATE_FULFILLED); !s.ok()) {
    return s;
  }
  if (now < ToTime(appointment.start_time())) {
    return TooEarly(appointment, "completion", "the appointment's start_time");
  }
  if (appointment.state() == v1::APPOINTMENT_STATE_BOOKED) {
    *appointment.mutable_arrive_time() = ToTimestamp(now);  // implicit check-in
  }
  if (completion.practitioner_id().empty()) {
    completion.set_practitioner_id(appointment.practitioner_id());
  }
  *completion.mutable_complete_time() = ToTimestamp(now);
  completion.set_completed_by(std::string(actor));
  *appointment.mutable_completion() = std::move(completion);
  appointment.set_state(v1::APPOINTMENT_STATE_FULFILLED);
  Touch(appointment, now);
  return absl::OkStatus();
}

absl::Status Cancel(v1::Appointment& appointment, v1::Cancellation cancellation, absl::Time now,
                    absl::string_view actor) {
  if (absl::Status s = CheckTransition(appointment, v1::APPOINTMENT_STATE_CANCELLED); !s.ok()) {
    return s;
  }
  cancellation.set_cancelled_by(std::string(actor));
  *cancellation.mutable_cancel_time() = ToTimestamp(now);
  *appointment.mutable_cancellation() = std::move(cancellation);
  appointment.set_state(v1::APPOINTMENT_STATE_CANCELLED);
  Touch(appointment, now);
  return absl::OkStatus();
}

absl::Status MarkNoShow(v1::Appointment& appointment, absl::Time now) {
  if (absl::Status s = CheckTransition(appointment, v1::APPOINTMENT_STATE_NOSHOW); !s.ok())
    return s;
  if (now < ToTime(appointment.start_time())) {
    return TooEarly(appointment, "no-show", "the appointment's start_time");
  }
  appointment.set_state(v1::APPOINTMENT_STATE_NOSHOW);
  *appointment.mutable_noshow_time() = ToTimestamp(now);
  Touch(appointment, now);
  return absl::OkStatus();
}

absl::Status CheckReschedulable(const v1::Appointment& appointment) {
  if (appointment.state() == v1::APPOINTMENT_STATE_BOOKED) return absl::OkStatus();
  const std::string state = StateName(appointment.state());
  return common::FailedPreconditionError(
      absl::StrCat("appointment ", appointment.id(), " is ", state, "; only BOOKED ones move"),
      {{"APPOINTMENT_STATE", absl::StrCat("appointment/", appointment.id()),
        absl::StrCat("the appointment is ", state,
                     "; only BOOKED appointments can be rescheduled")}});
}

}  // namespace dermaflow::scheduling
