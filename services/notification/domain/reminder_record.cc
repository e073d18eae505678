#include "services/notification/domain/reminder_record.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

using v1::ReminderState;

char StateTag(ReminderState state) {
  switch (state) {
    case ReminderState::REMINDER_STATE_SCHEDULED:
      return 'S';
    case ReminderState::REMINDER_STATE_IN_FLIGHT:
      return 'I';
    case ReminderState::REMINDER_STATE_RETRYING:
      return 'R';
    case ReminderState::REMINDER_STATE_DELIVERED:
      return 'D';
    case ReminderState::REMINDER_STATE_DEAD_LETTER:
      return 'L';
    case ReminderState::REMINDER_STATE_CANCELLED:
      return 'C';
    case ReminderState::REMINDER_STATE_SUPPRESSED:
      return 'X';
    default:
      return '?';
  }
}

ReminderState StateFromTag(char tag) {
  switch (tag) {
    case 'S':
      return ReminderState::REMINDER_STATE_SCHEDULED;
    case 'I':
      return ReminderState::REMINDER_STATE_IN_FLIGHT;
    case 'R':
      return ReminderState::REMINDER_STATE_RETRYING;
    case 'D':
      return ReminderState::REMINDER_STATE_DELIVERED;
    case 'L':
      return ReminderState::REMINDER_STATE_DEAD_LETTER;
    case 'C':
      return ReminderState::REMINDER_STATE_CANCELLED;
    case 'X':
      return ReminderState::REMINDER_STATE_SUPPRESSED;
    default:
      return ReminderState::REMINDER_STATE_UNSPECIFIED;
  }
}

std::string EncodeRecord(ReminderState state, const internal::StoredReminder& data) {
  std::string bytes(1, StateTag(state));
  data.AppendToString(&bytes);
  return bytes;
}

absl::StatusOr<ReminderRecord> DecodeRecord(const std::string& id, const std::string& bytes) {
  ReminderRecord record;
  record.id = id;
  if (bytes.empty() ||
      (record.state = StateFromTag(bytes[0])) == ReminderState::REMINDER_STATE_UNSPECIFIED ||
      !record.data.ParseFromArray(bytes.data() + 1, static_cast<int>(bytes.size() - 1))) {
    return absl::InternalError("notification store: unreadable reminder record " + id);
  }
  return record;
}

bool IsPending(ReminderState state) {
  return state == ReminderState::REMINDER_STATE_SCHEDULED ||
         state == ReminderState::REMINDER_STATE_RETRYING;
}

int64_t SortScore(ReminderState state, const internal::StoredReminder& data) {
  return state == ReminderState::REMINDER_STATE_DEAD_LETTER ? data.update_ms() : data.due_ms();
}

v1::ReminderKind KindOf(const internal::StoredReminder& data) {
  return v1::ReminderKind_IsValid(data.kind()) ? static_cast<v1::ReminderKind>(data.kind())
                                               : v1::ReminderKind::REMINDER_KIND_UNSPECIFIED;
}

v1::Reminder ToApiReminder(const ReminderRecord& record) {
  const internal::StoredReminder& d = record.data;
  v1::Reminder r;
  r.set_id(record.id);
  r.set_patient_id(d.patient_id());
  r.set_kind(KindOf(d));
  r.set_rule_code(d.rule_code());
  r.set_channel(static_cast<dermaflow::patient::v1::Channel>(d.channel()));
  r.set_state(record.state);
  *r.mutable_due_time() = ToTimestamp(FromMillis(d.due_ms()));
  *r.mutable_original_due_time() = ToTimestamp(FromMillis(d.original_due_ms()));
  r.set_appointment_id(d.appointment_id());
  r.set_course_id(d.course_id());
  r.set_protocol_id(d.protocol_id());
  r.set_protocol_version(d.protocol_version());
  r.set_clinic_id(d.clinic_id());
  r.set_attempts(d.attempts());
  if (d.last_error_code() != 0) {
    r.mutable_last_error()->set_code(d.last_error_code());
    r.mutable_last_error()->set_message(d.last_error_message());
  }
  if (d.delivered_ms() != 0)
    *r.mutable_delivered_time() = ToTimestamp(FromMillis(d.delivered_ms()));
  r.set_locale(d.locale());
  r.set_suppression_reason(static_cast<v1::SuppressionReason>(d.suppression_reason()));
  r.set_state_detail(d.state_detail());
  *r.mutable_create_time() = ToTimestamp(FromMillis(d.create_ms()));
  *r.mutable_update_time() = ToTimestamp(FromMillis(d.update_ms()));
  return r;
}

namespace {

// "REMINDER_KIND_FOLLOW_UP" -> "follow_up".
std::string EnumLabel(const std::string& name, const std::string& prefix) {
  std::string label = absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
  absl::AsciiStrToLower(&label);
  return label.empty() ? "unspecified" : label;
}

}  // namespace

std::string KindLabel(ReminderKind kind) {
  return EnumLabel(v1::ReminderKind_Name(kind), "REMINDER_KIND_");
}

std::string SuppressionLabel(SuppressionReason reason) {
  return EnumLabel(v1::SuppressionReason_Name(reason), "SUPPRESSION_REASON_");
}

}  // namespace dermaflow::notification
