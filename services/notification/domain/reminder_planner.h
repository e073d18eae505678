// Reminder planning: one domain event (plus the protocol version it refers
// to and the organization's settings) becomes a Plan — the reminders to
// create and which of the patient's pending reminders end. Pure and
// deterministic: ids come from what caused each reminder (reminder_id.h), so
// planning the same event twice gives the same plan.
//
//   PlanInput in{.event = &event, .protocol = &protocol_version, .settings = &settings};
//   DF_ASSIGN_OR_RETURN(Plan plan, PlanReminders(in));
//
// Times follow protocol.proto's time rule in the clinic's time zone
// (time_rules.h). Quiet hours are not applied here but at delivery, where
// the patient's current preferences are known.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/stored_reminder.pb.h"

namespace dermaflow::notification {

// Local hour at which MAINTENANCE reminders go out on their day (the due
// date is a date, not an instant). A clinic-friendly assumption.
inline constexpr int kMaintenanceLocalHour = 10;

// A reminder to create (SCHEDULED at data.original_due_ms), unless its id
// exists already.
struct NewReminder {
  std::string id;
  internal::StoredReminder data;
};

// Which of the patient's reminders an event concerns. Empty fields match
// everything.
struct ReminderSelector {
  std::vector<ReminderKind> kinds = {};
  std::string appointment_id = {};
  std::string course_id = {};
  std::string protocol_id = {};
  // NEXT_SESSION reminders that announce this appointment.
  std::string next_appointment_id = {};
  // The WAITLIST_OFFER reminder of this offer.
  std::string offer_id = {};

  bool Matches(const internal::StoredReminder& data) const;
};

// Pending reminders matching `selector` end in `state` (CANCELLED or
// SUPPRESSED with `reason`), with `detail` as Reminder.state_detail.
struct ReminderEnding {
  ReminderSelector selector;
  ReminderState state = ReminderState::REMINDER_STATE_CANCELLED;
  SuppressionReason reason = SuppressionReason::SUPPRESSION_REASON_UNSPECIFIED;
  std::string detail;
  // Also end DEAD_LETTER reminders (so a requeue cannot send them later).
  bool include_dead_letters = true;
};

// A moved appointment that pending NEXT_SESSION reminders announce.
struct NextSessionMove {
  std::string appointment_id;
  int64_t start_ms = 0;
};

// What reminder texts say about a clinic; kept once per clinic, not per
// reminder.
struct ClinicInfo {
  std::string id = {};
  std::string display_name = {};
  std::string time_zone = {};
  std::string contact_phone = {};
  bool has_contact_phone = false;  // CourseCompleted carries no phone
  // Where action links lead (Clinic.patient_app_url); empty: no links.
  std::string patient_app_url = {};
  bool has_patient_app_url = false;  // only appointment events carry it
};

struct Plan {
  std::string patient_id;
  // The appointment snapshot's update_time: the plan is stale (ignored) when
  // a newer snapshot of the same appointment was applied before.
  std::string appointment_id;
  int64_t appointment_update_ms = 0;
  std::optional<ClinicInfo> clinic;
  std::vector<NewReminder> creates;
  std::vector<ReminderEnding> endings;
  std::optional<NextSessionMove> next_session_move;
  // patient.erased: delete every reminder and delivery of the patient.
  bool erase_patient = false;
  // The patient's preferences changed: cached copies are stale.
  bool patient_changed = false;

  bool Touches() const {
    return !creates.empty() || !endings.empty() || next_session_move || erase_patient;
  }
};

struct PlanInput {
  const dermaflow::events::v1::Event* event = nullptr;
  // The protocol version the event names (ProtocolNeeded); null otherwise.
  const dermaflow::protocol::v1::Protocol* protocol = nullptr;
  const v1::NotificationSettings* settings = nullptr;
  // For patient.consent_changed WITHDRAWN: whether the patient still has a
  // channel with consent; nullopt when the patient no longer exists.
  std::optional<bool> patient_reachable = true;
};

// The protocol version an event's reminders are built from, if any.
std::optional<std::pair<std::string, int64_t>> ProtocolNeeded(
    const dermaflow::events::v1::Event& event);

// "appointment.booked", ..., "unknown": the event's type for logs and metrics.
std::string EventTypeName(const dermaflow::events::v1::Event& event);

// INVALID_ARGUMENT when the event lacks what planning needs (ids, times) or
// the protocol is missing where needed.
absl::StatusOr<Plan> PlanReminders(const PlanInput& input);

}  // namespace dermaflow::notification
