// WaitlistStore on Redis: entries and offers as hashes {pb, state, ...}
// whose `state` field is the truth (the scripts change it without
// re-serializing the message), freed slots as hashes, and the
// organization's due set the sweeper reads. Rounds of offers, releases and
// declines are one Lua script each (lua/waitlist_*.lua). Layout:
// docs/scheduling.md, "Waitlist".
#pragma once

#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_client.h"
#include "services/scheduling/store/waitlist_store.h"

namespace dermaflow::scheduling {

class RedisWaitlistStore : public WaitlistStore {
 public:
  // `redis` and `clock` (event ids and times) must outlive the store.
  RedisWaitlistStore(common::RedisClient& redis, const common::Clock& clock,
                     common::EventStreamOptions stream_options = {});

  absl::StatusOr<std::optional<std::string>> CreateEntry(const std::string& org,
                                                         const v1::WaitlistEntry& entry,
                                                         const std::string& request_id,
                                                         const std::string& fingerprint) override;
  absl::StatusOr<v1::WaitlistEntry> GetEntry(const std::string& org,
                                             const std::string& id) override;
  absl::StatusOr<std::vector<v1::WaitlistEntry>> GetEntries(
      const std::string& org, const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<std::string>> ListEntryIds(const std::string& org,
                                                        const std::string& clinic_id,
                                                        const std::string& protocol_id,
                                                        int64_t offset, int64_t count) override;
  absl::Status DeleteEntry(const std::string& org, const v1::WaitlistEntry& entry,
                           const std::string& etag) override;
  absl::StatusOr<bool> RecordSlot(const std::string& org, const FreedSlot& slot) override;
  absl::StatusOr<std::optional<SlotRecord>> GetSlot(const std::string& org,
                                                    const std::string& slot_id) override;
  absl::StatusOr<HoldOutcome> Hold(const std::string& org, const HoldRound& round) override;
  absl::StatusOr<std::optional<std::vector<std::string>>> Release(const std::string& org,
                                                                  const SlotRecord& slot,
                                                                  absl::Time now) override;
  absl::Status Close(const std::string& org, const std::string& slot_id) override;
  absl::StatusOr<std::vector<std::string>> Organizations() override;
  absl::StatusOr<std::vector<std::string>> DueSlots(const std::string& org, absl::Time now,
                                                    int64_t limit) override;
  absl::StatusOr<v1::WaitlistOffer> GetOffer(const std::string& org,
                                             const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> ListOfferIds(const std::string& org,
                                                        const std::string& entry_id,
                                                        const std::string& slot_id, int64_t offset,
                                                        int64_t count) override;
  absl::Status Decline(const std::string& org, const v1::WaitlistOffer& offer,
                       const std::vector<std::string>& sibling_ids, absl::Time now) override;

 private:
  absl::Status EnsureRegistered(const std::string& org);

  common::RedisClient& redis_;
  const common::Clock& clock_;
  common::EventPublisher publisher_;
  absl::Mutex mu_;
  std::set<std::string> registered_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::scheduling
