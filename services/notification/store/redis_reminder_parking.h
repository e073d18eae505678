// ReminderParking on Redis: lists the promotable days in `rem:park_days`,
// reads each day's bucket in slices (GETRANGE), loads the records of a
// slice's ids and queues those still SCHEDULED and due that day with
// lua/promote_parked.lua (compare-and-set on the bytes read), then drops
// the bucket with lua/drop_parked_day.lua if nothing was appended since.
//
//   RedisReminderParking parking(redis);
//   DF_ASSIGN_OR_RETURN(PromotionResult r,
//                       parking.PromoteDays(org, LastPromotableDay(now_ms, park_after), 20'000,
//                       {}));
#pragma once

#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/record_storage.h"
#include "services/notification/store/reminder_parking.h"

namespace dermaflow::notification {

class RedisReminderParking : public ReminderParking {
 public:
  // `slice_entries`: ids read and compare-and-set per round trip.
  explicit RedisReminderParking(common::RedisClient& redis, int slice_entries = 1'000)
      : redis_(redis), storage_(redis), slice_entries_(slice_entries) {}

  absl::StatusOr<PromotionResult> PromoteDays(const std::string& org, int64_t last_day,
                                              int max_entries,
                                              const std::optional<ParkCursor>& resume) override;

 private:
  // Promotes the ids of one slice of `day`'s bucket; adds to `result`.
  absl::Status PromoteSlice(const std::string& org, const NotificationKeys& keys, int64_t day,
                            std::vector<std::string> ids, PromotionResult& result);

  common::RedisClient& redis_;
  RecordStorage storage_;
  const int slice_entries_;
};

}  // namespace dermaflow::notification
