#include "services/notification/domain/reminder_planner.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/notification/domain/care_rules.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/settings.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

using dermaflow::events::v1::AppointmentInfo;
using dermaflow::events::v1::Event;
using dermaflow::patient::v1::ConsentState;
using dermaflow::protocol::v1::Protocol;
using v1::ReminderKind;

constexpr ReminderKind kAppointment = ReminderKind::REMINDER_KIND_APPOINTMENT;
constexpr ReminderKind kAftercare = ReminderKind::REMINDER_KIND_AFTERCARE;
constexpr ReminderKind kCheckIn = ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN;
constexpr ReminderKind kFollowUp = ReminderKind::REMINDER_KIND_FOLLOW_UP;
constexpr ReminderKind kNextSession = ReminderKind::REMINDER_KIND_NEXT_SESSION;
constexpr ReminderKind kMaintenance = ReminderKind::REMINDER_KIND_MAINTENANCE;
constexpr ReminderKind kNudge = ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE;
constexpr ReminderKind kConfirmation = ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST;
constexpr ReminderKind kWaitlistOffer = ReminderKind::REMINDER_KIND_WAITLIST_OFFER;

bool HasText(const dermaflow::protocol::v1::LocalizedText& text) {
  for (const auto& t : text.translations()) {
    if (!t.text().empty()) return true;
  }
  return false;
}

absl::Status Invalid(const Event& event, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat(EventTypeName(event), " event ", event.id(), ": ", what));
}

ClinicInfo ClinicOf(const AppointmentInfo& info) {
  return ClinicInfo{info.clinic_id(),
                    info.clinic_display_name(),
                    info.clinic_time_zone(),
                    info.clinic_contact_phone(),
                    /*has_contact_phone=*/true,
                    info.clinic_patient_app_url(),
                    /*has_patient_app_url=*/true};
}

// The fields every reminder about an appointment shares.
internal::StoredReminder BaseRecord(const AppointmentInfo& info, ReminderKind kind) {
  internal::StoredReminder r;
  r.set_patient_id(info.patient_id());
  r.set_kind(kind);
  r.set_appointment_id(info.appointment_id());
  r.set_course_id(info.course_id());
  r.set_protocol_id(info.protocol_id());
  r.set_protocol_version(info.protocol_version());
  r.set_clinic_id(info.clinic_id());
  r.set_session_start_ms(ToMillis(ToTime(info.start_time())));
  r.set_session_index(info.course_session_index());
  r.set_session_count(info.course_session_count());
  return r;
}

NewReminder Make(internal::StoredReminder data, const std::string& subject_id,
                 const std::string& rule_code, absl::Time due, const std::string& variant = "") {
  data.set_rule_code(rule_code);
  data.set_original_due_ms(ToMillis(due));
  data.set_due_ms(data.original_due_ms());
  return NewReminder{ReminderId(KindOf(data), subject_id, rule_code, variant), std::move(data)};
}

absl::Status CheckAppointment(const Event& event, const AppointmentInfo& info) {
  if (info.appointment_id().empty()) return Invalid(event, "appointment_id missing");
  if (info.patient_id().empty()) return Invalid(event, "patient_id missing");
  if (!info.has_start_time()) return Invalid(event, "start_time missing");
  return absl::OkStatus();
}

// The plan every appointment event starts from: patient, snapshot guard,
// clinic texts.
absl::StatusOr<Plan> AppointmentPlan(const Event& event, const AppointmentInfo& info) {
  if (absl::Status s = CheckAppointment(event, info); !s.ok()) return s;
  Plan plan;
  plan.patient_id = info.patient_id();
  plan.appointment_id = info.appointment_id();
  plan.appointment_update_ms = info.has_update_time() ? ToMillis(ToTime(info.update_time()))
                                                      : ToMillis(ToTime(event.occur_time()));
  plan.clinic = ClinicOf(info);
  return plan;
}

ReminderEnding End(ReminderSelector selector, std::string detail) {
  ReminderEnding ending;
  ending.selector = std::move(selector);
  ending.detail = std::move(detail);
  return ending;
}

// The reminders before a session: APPOINTMENT and CONFIRMATION_REQUEST.
ReminderSelector AppointmentReminders(const AppointmentInfo& info) {
  return ReminderSelector{.kinds = {kAppointment, kConfirmation},
                          .appointment_id = info.appointment_id()};
}

// appointment.confirmation_requested: one CONFIRMATION_REQUEST, due when the
// event happened (quiet hours move it at delivery, as for every reminder).
// Its id carries the session start, so the request after a reschedule is a
// new reminder.
absl::StatusOr<Plan> PlanConfirmationRequested(const PlanInput& in, const AppointmentInfo& info) {
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  const absl::Time asked =
      in.event->has_occur_time() ? ToTime(in.event->occur_time()) : ToTime(info.update_time());
  if (asked >= ToTime(info.start_time())) return plan;  // too late to ask
  internal::StoredReminder data = BaseRecord(info, kConfirmation);
  data.set_areas(AreaMask(info.areas()));
  const std::string variant = absl::StrCat(data.session_start_ms());
  plan->creates.push_back(Make(std::move(data), info.appointment_id(), "", asked, variant));
  return plan;
}

// The patient answered (confirmed, or asked for another time): the pending
// request ends.
absl::StatusOr<Plan> PlanAnswered(const PlanInput& in, const AppointmentInfo& info,
                                  const std::string& detail) {
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  plan->endings.push_back(
      End({.kinds = {kConfirmation}, .appointment_id = info.appointment_id()}, detail));
  return plan;
}

// APPOINTMENT reminders for a booked (or moved) session: one per lead, plus
// one for each applicable pre-care rule that begins before the longest lead
// (so "no X from 48 h before" is known in time). A reminder whose time passed
// when the booking was made is dropped unless none would be left; then the
// shortest one goes out at once.
std::vector<NewReminder> AppointmentReminderSet(const Event& event, const AppointmentInfo& info,
                                                const Protocol& protocol,
                                                const v1::NotificationSettings& settings) {
  const absl::Time start = ToTime(info.start_time());
  const absl::Time booked = event.has_occur_time() ? ToTime(event.occur_time()) : start;
  if (start <= booked) return {};
  const absl::TimeZone tz = ZoneOrUtc(info.clinic_time_zone());
  const uint32_t areas = AreaMask(info.areas());

  std::vector<std::pair<std::string, absl::Duration>> leads;
  for (absl::Duration lead : AppointmentLeads(settings))
    leads.emplace_back(LeadRuleCode(lead), lead);
  const absl::Duration longest = leads.front().second;
  for (const auto* rule : ApplicableRules(protocol.pre_care(), areas, 0)) {
    const absl::Duration offset = ToDuration(rule->offset());
    if (offset > longest) leads.emplace_back("precare_" + rule->code(), offset);
  }

  internal::StoredReminder base = BaseRecord(info, kAppointment);
  base.set_areas(areas);
  const std::string variant = absl::StrCat(base.session_start_ms());
  std::vector<NewReminder> out;
  const std::pair<std::string, absl::Duration>* shortest = &leads.front();
  for (const auto& lead : leads) {
    if (lead.second < shortest->second) shortest = &lead;
    const absl::Time due = SubtractOffset(start, lead.second, tz);
    if (due >= booked) out.push_back(Make(base, info.appointment_id(), lead.first, due, variant));
  }
  if (out.empty())
    out.push_back(Make(base, info.appointment_id(), shortest->first, booked, variant));
  return out;
}

absl::StatusOr<Plan> PlanBooked(const PlanInput& in, const AppointmentInfo& info) {
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  plan->creates = AppointmentReminderSet(*in.event, info, *in.protocol, *in.settings);
  // Booking the protocol again is the maintenance the reminders asked for.
  plan->endings.push_back(End({.kinds = {kMaintenance, kNudge}, .protocol_id = info.protocol_id()},
                              "protocol booked again"));
  return plan;
}

absl::StatusOr<Plan> PlanRescheduled(const PlanInput& in, const AppointmentInfo& info) {
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  // The new reminders have new ids (their variant is the start time); the
  // old pending ones end as "moved", as notification.proto's states say.
  plan->creates = AppointmentReminderSet(*in.event, info, *in.protocol, *in.settings);
  plan->endings.push_back(End(AppointmentReminders(info), "appointment moved"));
  plan->next_session_move =
      NextSessionMove{info.appointment_id(), ToMillis(ToTime(info.start_time()))};
  return plan;
}

// Cancelled, no-show, arrived: the appointment's reminders end; for the
// first two, also NEXT_SESSION reminders announcing it.
absl::StatusOr<Plan> PlanEnded(const PlanInput& in, const AppointmentInfo& info,
                               const std::string& detail, bool announced_too) {
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  ReminderSelector own{.appointment_id = info.appointment_id()};
  if (!announced_too) own.kinds = {kAppointment, kConfirmation};
  plan->endings.push_back(End(own, detail));
  if (announced_too) {
    plan->endings.push_back(
        End({.kinds = {kNextSession}, .next_appointment_id = info.appointment_id()}, detail));
  }
  return plan;
}

absl::StatusOr<Plan> PlanFulfilled(const PlanInput& in,
                                   const dermaflow::events::v1::AppointmentFulfilled& fulfilled) {
  const AppointmentInfo& info = fulfilled.appointment();
  auto plan = AppointmentPlan(*in.event, info);
  if (!plan.ok()) return plan;
  plan->endings.push_back(End(AppointmentReminders(info), "session took place"));

  const Protocol& protocol = *in.protocol;
  const absl::TimeZone tz = ZoneOrUtc(info.clinic_time_zone());
  const absl::Time completed = fulfilled.has_complete_time() ? ToTime(fulfilled.complete_time())
                               : in.event->has_occur_time()  ? ToTime(in.event->occur_time())
                                                             : ToTime(info.end_time());
  const uint32_t areas =
      AreaMask(info.treated_areas().empty() ? info.areas() : info.treated_areas());
  const uint32_t side_effects = SideEffectMask(info.side_effects());
  internal::StoredReminder aftercare = BaseRecord(info, kAftercare);
  aftercare.set_areas(areas);
  aftercare.set_side_effects(side_effects);
  const std::string& appointment = info.appointment_id();

  // Rules starting at completion go into one message with the normal side
  // effects and when to call; a rule starting later gets its own.
  bool immediate_rules = false;
  for (const auto* rule : ApplicableRules(protocol.aftercare(), areas, side_effects)) {
    const absl::Duration offset = ToDuration(rule->offset());
    if (offset <= absl::ZeroDuration()) {
      immediate_rules = true;
    } else {
      plan->creates.push_back(
          Make(aftercare, appointment, rule->code(), AddOffset(completed, offset, tz)));
    }
  }
  if (immediate_rules || HasText(protocol.side_effects_normal()) ||
      HasText(protocol.when_to_call())) {
    plan->creates.push_back(Make(aftercare, appointment, "", completed));
  }

  const absl::Duration check_in = ToDuration(protocol.aftercare_check_in_offset());
  if (check_in > absl::ZeroDuration()) {
    plan->creates.push_back(
        Make(BaseRecord(info, kCheckIn), appointment, "", AddOffset(completed, check_in, tz)));
  }
  for (const auto& follow_up : protocol.follow_ups()) {
    plan->creates.push_back(Make(BaseRecord(info, kFollowUp), appointment, follow_up.code(),
                                 AddOffset(completed, ToDuration(follow_up.offset()), tz)));
  }

  if (!info.course_id().empty() && info.has_next_session_start_time()) {
    const absl::Time next_start = ToTime(info.next_session_start_time());
    const absl::Time due = AddOffset(completed, NextSessionDelay(*in.settings), tz);
    // Later than that, the APPOINTMENT reminder of the next session speaks.
    if (due < next_start) {
      internal::StoredReminder next = BaseRecord(info, kNextSession);
      next.set_next_appointment_id(info.next_session_appointment_id());
      next.set_next_session_start_ms(ToMillis(next_start));
      plan->creates.push_back(Make(std::move(next), appointment, "", due));
    }
  }
  return plan;
}

absl::StatusOr<Plan> PlanCourseCompleted(const PlanInput& in,
                                         const dermaflow::events::v1::CourseCompleted& course) {
  if (course.course_id().empty() || course.patient_id().empty()) {
    return Invalid(*in.event, "course_id or patient_id missing");
  }
  Plan plan;
  plan.patient_id = course.patient_id();
  plan.clinic = ClinicInfo{course.clinic_id(), course.clinic_display_name(),
                           course.clinic_time_zone(), "", /*has_contact_phone=*/false};
  plan.endings.push_back(End({.kinds = {kNextSession}, .course_id = course.course_id()},
                             course.ended_early() ? "course ended early" : "course completed"));

  const Protocol& protocol = *in.protocol;
  const int32_t due_date = ToYyyymmdd(course.maintenance_due_date());
  if (!protocol.has_maintenance() || due_date == 0) return plan;

  const absl::TimeZone tz = ZoneOrUtc(course.clinic_time_zone());
  const absl::CivilDay day = FromYyyymmdd(due_date);
  const absl::Time due_at = absl::FromCivil(
      absl::CivilSecond(day.year(), day.month(), day.day(), kMaintenanceLocalHour, 0, 0), tz);
  internal::StoredReminder base;
  base.set_patient_id(course.patient_id());
  base.set_course_id(course.course_id());
  base.set_protocol_id(course.protocol_id());
  base.set_protocol_version(course.protocol_version());
  base.set_clinic_id(course.clinic_id());
  base.set_maintenance_due_date(due_date);

  base.set_kind(kMaintenance);
  const absl::Duration lead = ToDuration(protocol.maintenance().reminder_lead());
  plan.creates.push_back(
      Make(base, course.course_id(), "",
           lead > absl::ZeroDuration() ? SubtractOffset(due_at, lead, tz) : due_at));
  const absl::Duration nudge = ToDuration(protocol.maintenance().nudge_delay());
  if (nudge > absl::ZeroDuration()) {
    base.set_kind(kNudge);
    plan.creates.push_back(Make(base, course.course_id(), "", AddOffset(due_at, nudge, tz)));
  }
  return plan;
}

absl::StatusOr<Plan> PlanConsentChanged(const PlanInput& in,
                                        const dermaflow::events::v1::PatientConsentChanged& c) {
  if (c.patient_id().empty()) return Invalid(*in.event, "patient_id missing");
  Plan plan;
  plan.patient_id = c.patient_id();
  plan.patient_changed = true;
  // Consent on one channel going away only matters when none is left: the
  // dispatcher picks another consented channel otherwise.
  if (c.state() == ConsentState::CONSENT_STATE_WITHDRAWN && in.patient_reachable != true) {
    ReminderEnding ending = End({}, in.patient_reachable ? "consent withdrawn" : "patient erased");
    ending.state = ReminderState::REMINDER_STATE_SUPPRESSED;
    ending.reason = in.patient_reachable ? SuppressionReason::SUPPRESSION_REASON_NO_CONSENT
                                         : SuppressionReason::SUPPRESSION_REASON_PATIENT_ERASED;
    plan.endings.push_back(std::move(ending));
  }
  return plan;
}

}  // namespace

bool ReminderSelector::Matches(const internal::StoredReminder& data) const {
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), KindOf(data)) == kinds.end()) {
    return false;
  }
  return (appointment_id.empty() || data.appointment_id() == appointment_id) &&
         (course_id.empty() || data.course_id() == course_id) &&
         (protocol_id.empty() || data.protocol_id() == protocol_id) &&
         (next_appointment_id.empty() || data.next_appointment_id() == next_appointment_id) &&
         (offer_id.empty() || data.offer_id() == offer_id);
}

std::optional<std::pair<std::string, int64_t>> ProtocolNeeded(const Event& event) {
  auto of = [](const AppointmentInfo& info) {
    return std::make_optional(std::make_pair(info.protocol_id(), info.protocol_version()));
  };
  switch (event.payload_case()) {
    case Event::kAppointmentBooked:
      return of(event.appointment_booked().appointment());
    case Event::kAppointmentRescheduled:
      return of(event.appointment_rescheduled().appointment());
    case Event::kAppointmentFulfilled:
      return of(event.appointment_fulfilled().appointment());
    case Event::kCourseCompleted: {
      const auto& c = event.course_completed();
      if (!c.has_maintenance_due_date()) return std::nullopt;  // nothing to plan
      return std::make_optional(std::make_pair(c.protocol_id(), c.protocol_version()));
    }
    default:
      return std::nullopt;
  }
}

std::string EventTypeName(const Event& event) {
  switch (event.payload_case()) {
    case Event::kPatientErased:
      return "patient.erased";
    case Event::kPatientConsentChanged:
      return "patient.consent_changed";
    case Event::kAppointmentBooked:
      return "appointment.booked";
    case Event::kAppointmentRescheduled:
      return "appointment.rescheduled";
    case Event::kAppointmentCancelled:
      return "appointment.cancelled";
    case Event::kAppointmentArrived:
      return "appointment.arrived";
    case Event::kAppointmentFulfilled:
      return "appointment.fulfilled";
    case Event::kAppointmentNoshow:
      return "appointment.noshow";
    case Event::kAppointmentConfirmationRequested:
      return "appointment.confirmation_requested";
    case Event::kAppointmentConfirmed:
      return "appointment.confirmed";
    case Event::kAppointmentConfirmationUnanswered:
      return "appointment.confirmation_unanswered";
    case Event::kAppointmentRescheduleRequested:
      return "appointment.reschedule_requested";
    case Event::kCoursePlanned:
      return "course.planned";
    case Event::kCourseCompleted:
      return "course.completed";
    case Event::kCourseCancelled:
      return "course.cancelled";
    case Event::kWaitlistOfferMade:
      return "waitlist.offer_made";
    case Event::kWaitlistOfferTaken:
      return "waitlist.offer_taken";
    default:
      return "unknown";
  }
}

// waitlist.offer_made: one message at once (quiet hours are applied at
// delivery), its id from the offer so a replay creates nothing new.
absl::StatusOr<Plan> PlanWaitlistOffer(const Event& event,
                                       const dermaflow::events::v1::WaitlistOfferMade& made) {
  const AppointmentInfo& slot = made.slot();
  if (made.offer_id().empty() || slot.patient_id().empty() || !slot.has_start_time()) {
    return Invalid(event, "offer_id, patient_id or start_time missing");
  }
  Plan plan;
  plan.patient_id = slot.patient_id();
  plan.clinic = ClinicOf(slot);
  internal::StoredReminder data = BaseRecord(slot, kWaitlistOffer);
  data.set_offer_id(made.offer_id());
  data.set_hold_until_ms(ToMillis(ToTime(made.hold_until())));
  const absl::Time now = event.has_occur_time() ? ToTime(event.occur_time()) : absl::UnixEpoch();
  plan.creates.push_back(Make(std::move(data), made.offer_id(), "offer", now));
  return plan;
}

absl::StatusOr<Plan> PlanReminders(const PlanInput& in) {
  const Event& event = *in.event;
  static const v1::NotificationSettings kDefaults;
  PlanInput input = in;
  if (input.settings == nullptr) input.settings = &kDefaults;
  if (ProtocolNeeded(event) && input.protocol == nullptr) {
    return Invalid(event, "protocol version not available");
  }
  switch (event.payload_case()) {
    case Event::kAppointmentBooked:
      return PlanBooked(input, event.appointment_booked().appointment());
    case Event::kAppointmentRescheduled:
      return PlanRescheduled(input, event.appointment_rescheduled().appointment());
    case Event::kAppointmentCancelled:
      return PlanEnded(input, event.appointment_cancelled().appointment(), "appointment cancelled",
                       /*announced_too=*/true);
    case Event::kAppointmentNoshow:
      return PlanEnded(input, event.appointment_noshow().appointment(), "no-show",
                       /*announced_too=*/true);
    case Event::kAppointmentArrived:
      return PlanEnded(input, event.appointment_arrived().appointment(), "patient arrived",
                       /*announced_too=*/false);
    case Event::kAppointmentConfirmationRequested:
      return PlanConfirmationRequested(input,
                                       event.appointment_confirmation_requested().appointment());
    case Event::kAppointmentConfirmed:
      return PlanAnswered(input, event.appointment_confirmed().appointment(),
                          "appointment confirmed");
    case Event::kAppointmentRescheduleRequested:
      return PlanAnswered(input, event.appointment_reschedule_requested().appointment(),
                          "reschedule requested");
    case Event::kAppointmentConfirmationUnanswered:
      // The request stays: an answer after the deadline is still welcome.
      return AppointmentPlan(event, event.appointment_confirmation_unanswered().appointment());
    case Event::kAppointmentFulfilled:
      return PlanFulfilled(input, event.appointment_fulfilled());
    case Event::kCourseCompleted:
      if (!ProtocolNeeded(event)) {
        // No maintenance: only the course's NEXT_SESSION reminders end.
        static const Protocol kNoMaintenance;
        input.protocol = &kNoMaintenance;
      }
      return PlanCourseCompleted(input, event.course_completed());
    case Event::kCourseCancelled: {
      const auto& c = event.course_cancelled();
      if (c.course_id().empty() || c.patient_id().empty()) {
        return Invalid(event, "course_id or patient_id missing");
      }
      Plan plan;
      plan.patient_id = c.patient_id();
      // Sessions already given keep their aftercare and follow-ups.
      plan.endings.push_back(End(
          {.kinds = {kNextSession, kAppointment}, .course_id = c.course_id()}, "course cancelled"));
      return plan;
    }
    case Event::kPatientErased: {
      if (event.patient_erased().patient_id().empty()) return Invalid(event, "patient_id missing");
      Plan plan;
      plan.patient_id = event.patient_erased().patient_id();
      plan.erase_patient = true;
      plan.patient_changed = true;
      return plan;
    }
    case Event::kPatientConsentChanged:
      return PlanConsentChanged(input, event.patient_consent_changed());
    case Event::kWaitlistOfferMade:
      return PlanWaitlistOffer(event, event.waitlist_offer_made());
    case Event::kWaitlistOfferTaken: {
      const auto& taken = event.waitlist_offer_taken();
      if (taken.offer_id().empty() || taken.slot().patient_id().empty()) {
        return Invalid(event, "offer_id or patient_id missing");
      }
      // No "taken" message (kind 10 unused): a patient who has not read the
      // offer yet is better left alone; one who tries it is told in the app.
      Plan plan;
      plan.patient_id = taken.slot().patient_id();
      plan.endings.push_back(
          End({.kinds = {kWaitlistOffer}, .offer_id = taken.offer_id()}, "slot taken"));
      return plan;
    }
    default:
      return Plan{};  // course.planned (sessions have their own events) and unknown payloads
  }
}

}  // namespace dermaflow::notification
