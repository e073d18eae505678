#include "services/scheduling/domain/confirmation_rules.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

constexpr absl::Duration kMaxRequestLead = absl::Hours(24 * 30);
constexpr absl::Duration kMinAnswerWithin = absl::Minutes(15);

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

// `lead` before `start`: whole days on the clinic's calendar (the same local
// time N days earlier, whatever DST does in between), else exact.
absl::Time Before(absl::Time start, absl::Duration lead, absl::TimeZone tz) {
  const int64_t days = absl::IDivDuration(lead, absl::Hours(24), &lead);
  if (lead != absl::ZeroDuration()) return start - absl::Hours(24 * days) - lead;
  const absl::CivilSecond local = absl::ToCivilSecond(start, tz);
  return absl::FromCivil(local - days * 86400, tz);
}

bool IsFinal(v1::ConfirmationState state) {
  return state == v1::CONFIRMATION_STATE_CONFIRMED || state == v1::CONFIRMATION_STATE_DECLINED;
}

absl::Status Refused(const v1::Appointment& a, absl::string_view type, std::string description) {
  return common::FailedPreconditionError(
      absl::StrCat("cannot record the confirmation answer for appointment ", a.id(), ": ",
                   description),
      {{std::string(type), absl::StrCat("appointment/", a.id()), description}});
}

}  // namespace

ConfirmationTimes EffectiveTimes(const v1::ConfirmationPolicy& policy) {
  ConfirmationTimes t;
  t.enabled = !policy.disabled();
  if (policy.has_request_lead()) t.request_lead = ToDuration(policy.request_lead());
  if (policy.has_answer_within()) t.answer_within = ToDuration(policy.answer_within());
  return t;
}

void ValidateConfirmationPolicy(const v1::ConfirmationPolicy& policy, absl::string_view prefix,
                                common::FieldViolations& v) {
  const ConfirmationTimes t = EffectiveTimes(policy);
  if (!IsWholeMinutes(t.request_lead) || t.request_lead < kMinRequestLead ||
      t.request_lead > kMaxRequestLead) {
    v.Add(Path(prefix, "request_lead"), "whole minutes, 1h to 30 days (720h); unset means 48h");
  }
  if (!IsWholeMinutes(t.answer_within) || t.answer_within < kMinAnswerWithin ||
      t.answer_within > t.request_lead) {
    v.Add(Path(prefix, "answer_within"),
          absl::StrCat("whole minutes, 15m to request_lead (", absl::FormatDuration(t.request_lead),
                       "); unset means 24h"));
  }
}

v1::Confirmation PlanConfirmation(const v1::ConfirmationPolicy& policy, absl::Time start,
                                  absl::TimeZone tz, absl::Time now) {
  v1::Confirmation c;
  c.set_state(v1::CONFIRMATION_STATE_NOT_REQUESTED);
  const ConfirmationTimes t = EffectiveTimes(policy);
  if (!t.enabled || start - now < kMinRequestLead) return c;
  const absl::Time request = std::max(Before(start, t.request_lead, tz), now);
  const absl::Time deadline = std::min(request + t.answer_within, start);
  *c.mutable_request_time() = ToTimestamp(request);
  *c.mutable_answer_deadline() = ToTimestamp(deadline);
  return c;
}

std::optional<absl::Time> NextConfirmationCheck(const v1::Appointment& a) {
  if (a.state() != v1::APPOINTMENT_STATE_BOOKED) return std::nullopt;
  const v1::Confirmation& c = a.confirmation();
  switch (c.state()) {
    case v1::CONFIRMATION_STATE_NOT_REQUESTED:
      if (c.has_request_time()) return ToTime(c.request_time());
      return std::nullopt;
    case v1::CONFIRMATION_STATE_REQUESTED:
      if (c.has_answer_deadline()) return ToTime(c.answer_deadline());
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

ConfirmationStep AdvanceConfirmation(v1::Appointment& a, absl::Time now) {
  const std::optional<absl::Time> due = NextConfirmationCheck(a);
  if (!due || *due > now) return ConfirmationStep::kNone;
  v1::Confirmation& c = *a.mutable_confirmation();
  *a.mutable_update_time() = ToTimestamp(now);
  if (c.state() == v1::CONFIRMATION_STATE_NOT_REQUESTED) {
    const absl::Time start = ToTime(a.start_time());
    if (now >= start) {  // the sweeper was away too long: asking now makes no sense
      c.clear_request_time();
      c.clear_answer_deadline();
      return ConfirmationStep::kNone;
    }
    // A late request keeps the planned time to answer (up to the start).
    const absl::Duration window = ToTime(c.answer_deadline()) - ToTime(c.request_time());
    c.set_state(v1::CONFIRMATION_STATE_REQUESTED);
    *c.mutable_request_time() = ToTimestamp(now);  // when it actually went out
    *c.mutable_answer_deadline() = ToTimestamp(std::min(now + window, start));
    return ConfirmationStep::kRequested;
  }
  c.set_state(v1::CONFIRMATION_STATE_NO_ANSWER);
  return ConfirmationStep::kUnanswered;
}

absl::Status ValidateAnswer(v1::ConfirmationState answer, absl::string_view field) {
  if (answer == v1::CONFIRMATION_STATE_CONFIRMED || answer == v1::CONFIRMATION_STATE_DECLINED ||
      answer == v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED) {
    return absl::OkStatus();
  }
  return common::InvalidArgumentError(
      std::string_view(field.data(), field.size()),
      "must be CONFIRMATION_STATE_CONFIRMED, _DECLINED or _RESCHEDULE_REQUESTED");
}

absl::StatusOr<bool> ApplyAnswer(v1::Appointment& a, v1::ConfirmationState answer,
                                 v1::ConfirmationChannel via, absl::string_view answered_by,
                                 absl::Time now) {
  const v1::ConfirmationState current = a.confirmation().state();
  if (current == answer) return false;
  // A confirmed patient may still ask for another time (the reminder's
  // reschedule link comes after the confirmation); nothing else reopens it.
  const bool confirmed_asks_to_move = current == v1::CONFIRMATION_STATE_CONFIRMED &&
                                      answer == v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED;
  if (IsFinal(current) && !confirmed_asks_to_move) {
    return Refused(a, "CONFIRMATION_ANSWERED",
                   absl::StrCat("the patient already answered ", ConfirmationStateName(current)));
  }
  if (a.state() != v1::APPOINTMENT_STATE_BOOKED) {
    return Refused(a, "APPOINTMENT_STATE",
                   absl::StrCat("the appointment is ", StateName(a.state()), ", not BOOKED"));
  }
  if (now >= ToTime(a.start_time())) {
    return Refused(a, "TOO_LATE", "the appointment has started");
  }
  v1::Confirmation& c = *a.mutable_confirmation();
  c.set_state(answer);
  *c.mutable_answer_time() = ToTimestamp(now);
  c.set_answered_via(via);
  c.set_answered_by(std::string(answered_by));
  *a.mutable_update_time() = ToTimestamp(now);
  return true;
}

std::string ConfirmationStateName(v1::ConfirmationState state) {
  constexpr std::string_view kPrefix = "CONFIRMATION_STATE_";
  std::string name = v1::ConfirmationState_Name(state);
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name.empty() ? absl::StrCat(static_cast<int>(state)) : name;
}

}  // namespace dermaflow::scheduling
