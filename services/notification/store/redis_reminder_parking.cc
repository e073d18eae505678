#include "services/notification/store/redis_reminder_parking.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notification/domain/parking.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/lua/drop_parked_day_lua.h"
#include "services/notification/lua/promote_parked_lua.h"

namespace dermaflow::notification {

using common::RedisReply;

absl::StatusOr<PromotionResult> RedisReminderParking::PromoteDays(
    const std::string& org, int64_t last_day, int max_entries,
    const std::optional<ParkCursor>& resume) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(RedisReply listed, redis_.Command({"ZRANGE", keys.park_days, "-inf",
                                                         absl::StrCat(last_day), "BYSCORE"}));
  PromotionResult result;
  int64_t budget = max_entries;
  for (const RedisReply& member : listed.elements()) {
    int64_t day = 0;
    if (!absl::SimpleAtoi(member.str(), &day)) {
      return absl::InternalError("notification store: bad day in " + keys.park_days);
    }
    DF_ASSIGN_OR_RETURN(std::string bucket, keys.ParkBucket(day));
    int64_t offset = resume && resume->day == day ? resume->offset : 0;
    while (true) {
      if (budget <= 0) {
        result.resume = ParkCursor{day, offset};
        return result;
      }
      const int64_t take = std::min<int64_t>(budget, slice_entries_) * kParkedIdLength;
      DF_ASSIGN_OR_RETURN(RedisReply slice,
                          redis_.Command({"GETRANGE", bucket, absl::StrCat(offset),
                                          absl::StrCat(offset + take - 1)}));
      const std::string& bytes = slice.str();
      if (bytes.empty()) {
        // Everything read: drop the day unless it grew meanwhile.
        DF_ASSIGN_OR_RETURN(RedisReply dropped,
                            redis_.Eval(DropParkedDayScript(), {bucket, keys.park_days},
                                        {absl::StrCat(offset), absl::StrCat(day)}));
        const int64_t length = dropped.integer();
        if (length < 0) break;
        if (length < offset) offset = 0;
        continue;
      }
      std::vector<std::string> ids;
      ids.reserve(bytes.size() / kParkedIdLength);
      for (size_t at = 0; at + kParkedIdLength <= bytes.size(); at += kParkedIdLength) {
        ids.push_back(bytes.substr(at, kParkedIdLength));
      }
      budget -= static_cast<int64_t>(ids.size());
      offset += static_cast<int64_t>(bytes.size());
      DF_RETURN_IF_ERROR(PromoteSlice(org, keys, day, std::move(ids), result));
    }
  }
  return result;
}

absl::Status RedisReminderParking::PromoteSlice(const std::string& org,
                                                const NotificationKeys& keys, int64_t day,
                                                std::vector<std::string> ids,
                                                PromotionResult& result) {
  const int64_t entries = static_cast<int64_t>(ids.size());
  // Repeats within a slice are read at one moment, so one look decides them
  // all. Not across slices: an id whose write raced the first look is
  // appended again, and that later entry must get its own look.
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  DF_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> stored,
                      storage_.ReadStored(org, ids));
  std::vector<std::string> args;
  for (size_t i = 0; i < ids.size() && i < stored.size(); ++i) {
    // No record (deleted, erased); not SCHEDULED, or in flight (read as 'I').
    if (!stored[i] || (*stored[i])[0] != StateTag(ReminderState::REMINDER_STATE_SCHEDULED)) {
      continue;
    }
    absl::StatusOr<std::string> expanded = storage_.FromStorage(org, *stored[i]);
    if (!expanded.ok()) continue;
    absl::StatusOr<ReminderRecord> record = DecodeRecord(ids[i], *expanded);
    // Due another day: that day's bucket holds it, or the queue does.
    if (!record.ok() || ParkDay(record->data.due_ms()) != day) continue;
    args.push_back(ids[i]);
    args.push_back(*std::move(stored[i]));
    args.push_back(absl::StrCat(record->data.due_ms()));
  }
  int64_t added = 0;
  if (!args.empty()) {
    DF_ASSIGN_OR_RETURN(
        RedisReply reply,
        redis_.Eval(PromoteParkedScript(), {keys.records, keys.queue, keys.inflight, keys.parked},
                    std::move(args)));
    added = reply.integer();
  }
  result.promoted += added;
  result.skipped_stale += entries - added;
  return absl::OkStatus();
}

}  // namespace dermaflow::notification
