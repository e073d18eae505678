// The parked reminders (domain/parking.h) as list candidates in (due, id)
// order: the day buckets are read one at a time in day order, from the
// day the list starts (its due_from or cursor), only when the merge gets
// there. A bucket's entries are filtered down to reminders still SCHEDULED
// and due that day (stale entries, repeats and reminders parked elsewhere
// drop out). A reminder being promoted may also be in the queue already:
// the listing drops the second of two equal candidates.
//
//   std::map<std::string, ReminderRecord> loaded;
//   ParkedCandidates parked(redis, storage, org, range, loaded);
//   DF_ASSIGN_OR_RETURN(const ScoredId* first, parked.Peek());  // loaded[first->id] is its record
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/store/list_candidates.h"
#include "services/notification/store/record_storage.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {

class ParkedCandidates : public Candidates {
 public:
  // The records read go into `loaded` (by id), so the listing does not
  // read them again.
  ParkedCandidates(common::RedisClient& redis, RecordStorage& storage, std::string org,
                   const ZsetScanRange& range, std::map<std::string, ReminderRecord>& loaded);

  absl::StatusOr<const ScoredId*> Peek() override;
  void Pop() override { ++next_; }

 private:
  // Reads the next day with a bucket, until one yields candidates.
  absl::Status Fill();
  bool InRange(int64_t due_ms, const std::string& id) const;

  common::RedisClient& redis_;
  RecordStorage& storage_;
  const std::string org_;
  const ZsetScanRange range_;
  std::map<std::string, ReminderRecord>& loaded_;
  int64_t next_day_ = 0;
  std::optional<int64_t> last_day_;
  bool exhausted_ = false;
  std::vector<ScoredId> items_;  // the current day's, sorted
  size_t next_ = 0;
};

}  // namespace dermaflow::notification
