#include "services/notification/store/redis_reminder_retention.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/lua/expire_reminders_lua.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/script_keys.h"

namespace dermaflow::notification {

absl::StatusOr<int> RedisReminderRetention::ExpireBefore(const std::string& org, absl::Time cutoff,
                                                         int max) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  const std::string until = absl::StrCat("(", ToMillis(cutoff));
  const std::string limit = absl::StrCat(max);
  DF_ASSIGN_OR_RETURN(
      std::vector<common::RedisReply> found,
      redis_.Pipeline({{"ZRANGEBYSCORE", keys.done, "-inf", until, "LIMIT", "0", limit},
                       {"ZRANGEBYSCORE", keys.dead, "-inf", until, "LIMIT", "0", limit}}));
  std::vector<std::string> ids;
  for (const common::RedisReply& set : found) {
    DF_RETURN_IF_ERROR(set.ToStatus());
    for (const common::RedisReply& id : set.elements()) {
      if (static_cast<int>(ids.size()) < max) ids.push_back(id.str());
    }
  }
  if (ids.empty()) return 0;
  std::vector<std::string> hmget = {"HMGET", keys.records};
  hmget.insert(hmget.end(), ids.begin(), ids.end());
  DF_ASSIGN_OR_RETURN(common::RedisReply values, redis_.Command(std::move(hmget)));
  ScriptKeys script_keys({keys.records, keys.done, keys.dead, keys.deliveries, keys.delivery_time});
  std::vector<std::string> args;
  for (size_t i = 0; i < ids.size() && i < values.elements().size(); ++i) {
    const common::RedisReply& value = values.elements()[i];
    // Missing or unreadable: only the set entries can go (tag "" never matches a record).
    std::string tag, open = "0", final = "0", deliveries = "0";
    if (!value.is_nil() && !value.str().empty()) {
      tag = value.str().substr(0, 1);
      absl::StatusOr<std::string> expanded = storage_.FromStorage(org, value.str());
      absl::StatusOr<ReminderRecord> record =
          expanded.ok() ? DecodeRecord(ids[i], *expanded) : expanded.status();
      if (record.ok() && !record->data.patient_id().empty()) {
        const std::string& patient = record->data.patient_id();
        DF_ASSIGN_OR_RETURN(std::string open_key, keys.PatientIndex(patient));
        DF_ASSIGN_OR_RETURN(std::string final_key, keys.PatientFinalIndex(patient));
        DF_ASSIGN_OR_RETURN(std::string deliveries_key, keys.PatientDeliveries(patient));
        open = script_keys.IndexOf(open_key);
        final = script_keys.IndexOf(final_key);
        deliveries = script_keys.IndexOf(deliveries_key);
      }
    }
    args.insert(args.end(), {ids[i], tag, open, final, deliveries});
  }
  DF_RETURN_IF_ERROR(
      redis_.Eval(ExpireRemindersScript(), script_keys.Take(), std::move(args)).status());
  // What was read, deleted or not: the caller only needs "there may be more".
  return static_cast<int>(ids.size());
}

absl::Status RedisReminderRetention::ForgetAppointmentsBefore(const std::string& org,
                                                              absl::Time cutoff) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  return redis_
      .Command({"ZREMRANGEBYSCORE", keys.appointment_guards, "-inf",
                absl::StrCat("(", absl::ToUnixMillis(cutoff))})
      .status();
}

}  // namespace dermaflow::notification
