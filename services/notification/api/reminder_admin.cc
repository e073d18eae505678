#include "services/notification/api/reminder_admin.h"

#include "common/status/api_errors.h"
#include "services/notification/domain/notification_errors.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_transitions.h"

namespace dermaflow::notification {
namespace {

constexpr int kAttempts = 3;

}  // namespace

absl::StatusOr<ReminderRecord> ReminderAdmin::Apply(const std::string& org, const std::string& id,
                                                    const Transition& transition) {
  if (!IsWellFormedReminderId(id)) return common::NotFoundError(kErrorDomain, kReminderType, id);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    absl::StatusOr<VersionedRecord> current = reminders_.Get(org, id);
    if (!current.ok()) return current.status();
    absl::StatusOr<ReminderRecord> next = transition(current->record, clock_.Now());
    if (!next.ok()) return next.status();
    const std::string bytes = EncodeRecord(next->state, next->data);
    if (bytes == current->bytes) return next;
    WriteGroup group;
    ReminderWrite w;
    w.op = ReminderWrite::Op::kUpdate;
    w.id = id;
    w.expected = current->bytes;
    w.value = bytes;
    w.score = SortScore(next->state, next->data);
    w.patient_id = next->data.patient_id();  // its index follows the state
    group.writes.push_back(std::move(w));
    absl::StatusOr<std::vector<WriteResult>> written = reminders_.Write(org, {group});
    if (!written.ok()) return written.status();
    if (!written->empty() && written->front().group == WriteResult::Group::kApplied) return next;
  }
  return common::ConcurrentModificationError(kErrorDomain, kReminderType, id);
}

absl::StatusOr<ReminderRecord> ReminderAdmin::Cancel(const std::string& org, const std::string& id,
                                                     const std::string& note,
                                                     const std::string& subject) {
  return Apply(org, id, [&](const ReminderRecord& r, absl::Time now) {
    return CancelTransition(r, note, subject, now);
  });
}

absl::StatusOr<ReminderRecord> ReminderAdmin::Requeue(const std::string& org,
                                                      const std::string& id) {
  return Apply(org, id, RequeueTransition);
}

}  // namespace dermaflow::notification
