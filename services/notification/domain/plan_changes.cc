#include "services/notification/domain/plan_changes.h"

#include <set>

#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

bool Ends(const ReminderEnding& ending, const ReminderRecord& r) {
  const bool open = IsPending(r.state) || (ending.include_dead_letters &&
                                           r.state == ReminderState::REMINDER_STATE_DEAD_LETTER);
  return open && ending.selector.Matches(r.data);
}

bool Moves(const std::optional<NextSessionMove>& move, const ReminderRecord& r) {
  return move && IsPending(r.state) && KindOf(r.data) == ReminderKind::REMINDER_KIND_NEXT_SESSION &&
         r.data.next_appointment_id() == move->appointment_id &&
         r.data.next_session_start_ms() != move->start_ms;
}

}  // namespace

WriteGroup ResolvePlan(const Plan& plan, std::map<std::string, std::string>& records,
                       absl::Time now) {
  const int64_t now_ms = ToMillis(now);
  WriteGroup group;
  group.atomic = true;
  group.appointment_id = plan.appointment_id;
  group.appointment_update_ms = plan.appointment_update_ms;
  if (!plan.creates.empty()) group.unless_erased_patient = plan.patient_id;

  std::set<std::string> planned;
  for (const NewReminder& create : plan.creates) {
    planned.insert(create.id);
    if (records.contains(create.id)) continue;  // planned before: a replay
    internal::StoredReminder data = create.data;
    data.set_create_ms(now_ms);
    data.set_update_ms(now_ms);
    ReminderWrite w;
    w.op = ReminderWrite::Op::kCreate;
    w.id = create.id;
    w.value = EncodeRecord(ReminderState::REMINDER_STATE_SCHEDULED, data);
    w.score = data.due_ms();
    w.patient_id = plan.patient_id;
    records[w.id] = w.value;
    group.writes.push_back(std::move(w));
  }

  for (auto& [id, bytes] : records) {
    if (planned.contains(id)) continue;
    absl::StatusOr<ReminderRecord> decoded = DecodeRecord(id, bytes);
    if (!decoded.ok()) continue;
    ReminderRecord r = *std::move(decoded);
    bool changed = false;
    for (const ReminderEnding& ending : plan.endings) {
      if (!Ends(ending, r)) continue;
      r.state = ending.state;
      r.data.set_suppression_reason(ending.reason);
      r.data.set_state_detail(ending.detail);
      changed = true;
      break;
    }
    if (!changed && Moves(plan.next_session_move, r)) {
      r.data.set_next_session_start_ms(plan.next_session_move->start_ms);
      changed = true;
    }
    if (!changed) continue;
    r.data.set_update_ms(now_ms);
    ReminderWrite w;
    w.op = ReminderWrite::Op::kUpdate;
    w.id = id;
    w.patient_id = r.data.patient_id();
    w.expected = bytes;
    w.value = EncodeRecord(r.state, r.data);
    w.score = SortScore(r.state, r.data);
    bytes = w.value;
    group.writes.push_back(std::move(w));
  }
  return group;
}

}  // namespace dermaflow::notification
