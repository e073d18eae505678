// ReminderStore on Redis: one hash of compact records per organization plus
// one sorted set per queue state, changed only through lua/*.lua so records
// and sets never disagree. Layout and guarantees: docs/notification.md.
//
//   RedisReminderStore store(runtime->redis());
//   DF_ASSIGN_OR_RETURN(auto claimed, store.ClaimDue(org, now, lease, 200));
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "services/notification/domain/compact_record.h"
#include "services/notification/store/reminder_store.h"

namespace dermaflow::notification {

struct RedisReminderStoreOptions {
  // The delivery stream behind WatchNotifications keeps about this many ids.
  int64_t delivery_stream_max_len = 10'000;
  // How long an appointment's newest applied snapshot time is remembered
  // (stale replays older than that are no longer recognized).
  absl::Duration appointment_guard_ttl = absl::Hours(24 * 90);
  // Most entries per put_reminders call (groups are never split).
  int max_entries_per_call = 2'000;
};

class RedisReminderStore : public ReminderStore {
 public:
  explicit RedisReminderStore(common::RedisClient& redis, RedisReminderStoreOptions options = {});

  absl::StatusOr<PlanningSnapshot> ReadForPlanning(
      const std::string& org, const std::vector<std::string>& patient_ids,
      const std::vector<std::string>& appointment_ids) override;
  absl::StatusOr<std::vector<WriteResult>> Write(const std::string& org,
                                                 const std::vector<WriteGroup>& groups) override;
  absl::Status ErasePatient(const std::string& org, const std::string& patient_id) override;
  absl::Status PutClinics(const std::string& org, const std::vector<ClinicInfo>& clinics) override;
  absl::StatusOr<std::map<std::string, ClinicInfo>> GetClinics(
      const std::string& org, const std::vector<std::string>& clinic_ids) override;

  absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string& org, absl::Time now,
                                                        absl::Duration lease, int max) override;
  absl::StatusOr<std::vector<std::string>> Organizations() override;

  absl::StatusOr<VersionedRecord> Get(const std::string& org, const std::string& id) override;
  absl::StatusOr<ReminderPage> ListReminders(const std::string& org, const ReminderFilter& filter,
                                             int page_size,
                                             const std::optional<ListCursor>& after) override;
  absl::StatusOr<ReminderPage> ListDeadLetters(const std::string& org, int page_size,
                                               const std::optional<ListCursor>& after) override;
  absl::StatusOr<QueueCounts> CountQueue(const std::string& org, absl::Time now) override;
  absl::StatusOr<std::string> PageTokenSecret() override;
  absl::StatusOr<DeliveryPage> ListDeliveries(const std::string& org, const DeliveryFilter& filter,
                                              int page_size,
                                              const std::optional<ListCursor>& after) override;

  absl::Status MarkWatched(const std::string& org, absl::Duration ttl) override;
  absl::StatusOr<std::string> DeliveryStreamEnd(const std::string& org) override;
  absl::StatusOr<std::vector<StreamedDelivery>> ReadDeliveryStreams(
      std::map<std::string, std::string>& positions, absl::Duration block) override;
  absl::StatusOr<int64_t> PendingEvents(const std::string& group) override;
  absl::Status AckEvents(const std::string& stream, const std::string& group,
                         const std::vector<std::string>& entry_ids) override {
    return AckEventsImpl(stream, group, entry_ids);
  }

 private:
  absl::StatusOr<std::vector<WriteResult>> WriteChunk(const std::string& org,
                                                      const std::vector<const WriteGroup*>& groups);
  absl::StatusOr<ReminderPage> ListPatientReminders(const std::string& org,
                                                    const ReminderFilter& filter, int page_size,
                                                    const std::optional<ListCursor>& after);
  absl::Status AckEventsImpl(const std::string& stream, const std::string& group,
                             const std::vector<std::string>& entry_ids);

  // The storage form (compact_record.h) at the store's boundary: records go
  // in compacted (their contexts registered first) and come out expanded.
  absl::StatusOr<std::string> ToStorage(const std::string& org, const std::string& record,
                                        std::map<uint64_t, RecordContext>& new_contexts);
  absl::Status RegisterContexts(const std::string& org,
                                const std::map<uint64_t, RecordContext>& contexts);
  absl::StatusOr<std::string> FromStorage(const std::string& org, const std::string& stored);
  // Decodes HMGET values for `ids`; missing or unreadable records are left out.
  std::vector<ReminderRecord> DecodeAll(const std::string& org, const std::vector<std::string>& ids,
                                        const common::RedisReply& values);

  common::RedisClient& redis_;
  const RedisReminderStoreOptions options_;
  // Contexts are immutable once written, so each is read or written once.
  std::mutex contexts_mu_;
  std::map<std::string, std::map<uint64_t, RecordContext>> contexts_;  // org -> key -> context
};

}  // namespace dermaflow::notification
