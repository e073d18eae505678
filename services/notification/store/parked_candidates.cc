#include "services/notification/store/parked_candidates.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notification/domain/parking.h"
#include "services/notification/store/notification_keys.h"

namespace dermaflow::notification {
namespace {

bool Before(int64_t a_ms, const std::string& a_id, int64_t b_ms, const std::string& b_id) {
  return a_ms != b_ms ? a_ms < b_ms : a_id < b_id;
}

}  // namespace

ParkedCandidates::ParkedCandidates(common::RedisClient& redis, RecordStorage& storage,
                                   std::string org, const ZsetScanRange& range,
                                   std::map<std::string, ReminderRecord>& loaded)
    : redis_(redis), storage_(storage), org_(std::move(org)), range_(range), loaded_(loaded) {
  int64_t from_ms = range_.min.value_or(0);
  if (range_.after) from_ms = std::max(from_ms, range_.after->time_ms);
  next_day_ = ParkDay(from_ms);
  if (range_.max_exclusive) last_day_ = ParkDay(*range_.max_exclusive - 1);
}

bool ParkedCandidates::InRange(int64_t due_ms, const std::string& id) const {
  if (range_.min && due_ms < *range_.min) return false;
  if (range_.max_exclusive && due_ms >= *range_.max_exclusive) return false;
  return !range_.after || Before(range_.after->time_ms, range_.after->id, due_ms, id);
}

absl::StatusOr<const ScoredId*> ParkedCandidates::Peek() {
  DF_RETURN_IF_ERROR(Fill());
  return next_ < items_.size() ? &items_[next_] : nullptr;
}

absl::Status ParkedCandidates::Fill() {
  while (next_ >= items_.size() && !exhausted_) {
    items_.clear();
    next_ = 0;
    if (last_day_ && next_day_ > *last_day_) {
      exhausted_ = true;
      break;
    }
    DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org_));
    DF_ASSIGN_OR_RETURN(common::RedisReply days,
                        redis_.Command({"ZRANGE", keys.park_days, absl::StrCat(next_day_),
                                        last_day_ ? absl::StrCat(*last_day_) : "+inf", "BYSCORE",
                                        "LIMIT", "0", "1"}));
    int64_t day = 0;
    if (days.elements().empty() || !absl::SimpleAtoi(days.elements()[0].str(), &day)) {
      exhausted_ = true;
      break;
    }
    next_day_ = day + 1;
    DF_ASSIGN_OR_RETURN(std::string bucket_key, keys.ParkBucket(day));
    DF_ASSIGN_OR_RETURN(common::RedisReply bucket, redis_.Command({"GET", bucket_key}));
    if (bucket.is_nil()) continue;
    const std::string& bytes = bucket.str();
    std::vector<std::string> ids;
    for (size_t at = 0; at + kParkedIdLength <= bytes.size(); at += kParkedIdLength) {
      ids.push_back(bytes.substr(at, kParkedIdLength));
    }
    std::sort(ids.begin(), ids.end());  // replays repeat ids
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    DF_ASSIGN_OR_RETURN(std::vector<ReminderRecord> records, storage_.Load(org_, ids));
    for (ReminderRecord& r : records) {
      const int64_t due = r.data.due_ms();
      // In flight reads as IN_FLIGHT; another day's reminder is listed there.
      if (r.state != ReminderState::REMINDER_STATE_SCHEDULED || ParkDay(due) != day ||
          !InRange(due, r.id)) {
        continue;
      }
      std::string id = r.id;
      items_.push_back(ScoredId{due, id});
      loaded_.try_emplace(std::move(id), std::move(r));
    }
    std::sort(items_.begin(), items_.end(), [](const ScoredId& a, const ScoredId& b) {
      return Before(a.score, a.id, b.score, b.id);
    });
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::notification
