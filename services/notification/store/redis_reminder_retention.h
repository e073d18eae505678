// ReminderRetention on Redis: reads the oldest ids of the final and dead
// sets up to the cutoff, decodes their records for the patient and
// appointment keys, and deletes them with lua/expire_reminders.lua (which
// skips any whose state changed since they were read).
//
//   RedisReminderRetention retention(redis, storage);
//   DF_ASSIGN_OR_RETURN(int n, retention.ExpireBefore(org, now - absl::Hours(24 * 90), 500));
#pragma once

#include "common/redis/redis_client.h"
#include "services/notification/store/record_storage.h"
#include "services/notification/store/reminder_retention.h"

namespace dermaflow::notification {

class RedisReminderRetention : public ReminderRetention {
 public:
  explicit RedisReminderRetention(common::RedisClient& redis) : redis_(redis), storage_(redis) {}

  absl::StatusOr<int> ExpireBefore(const std::string& org, absl::Time cutoff, int max) override;
  absl::Status ForgetAppointmentsBefore(const std::string& org, absl::Time cutoff) override;

 private:
  common::RedisClient& redis_;
  RecordStorage storage_;
};

}  // namespace dermaflow::notification
