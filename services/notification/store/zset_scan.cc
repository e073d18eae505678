#include "services/notification/store/zset_scan.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

ZsetScan::ZsetScan(common::RedisClient& redis, std::string key, ZsetScanRange range)
    : redis_(redis), key_(std::move(key)), range_(std::move(range)) {
  if (range_.after) bound_ = range_.after->time_ms;
}

bool ZsetScan::Passed(const ScoredId& e) const {
  if (!range_.after) return false;
  if (e.score != range_.after->time_ms) return false;
  return range_.descending ? e.id >= range_.after->id : e.id <= range_.after->id;
}

absl::Status ZsetScan::Fill() {
  while (buffer_.empty() && !exhausted_) {
    std::string low = range_.min ? absl::StrCat(*range_.min) : "-inf";
    std::string high = range_.max_exclusive ? absl::StrCat("(", *range_.max_exclusive) : "+inf";
    if (bound_) {
      if (range_.descending) {
        if (!range_.max_exclusive || *bound_ < *range_.max_exclusive) high = absl::StrCat(*bound_);
      } else if (!range_.min || *bound_ > *range_.min) {
        low = absl::StrCat(*bound_);
      }
    }
    std::vector<std::string> cmd = {"ZRANGE", key_};
    if (range_.descending) {
      cmd.insert(cmd.end(), {high, low, "BYSCORE", "REV"});
    } else {
      cmd.insert(cmd.end(), {low, high, "BYSCORE"});
    }
    cmd.insert(cmd.end(),
               {"LIMIT", absl::StrCat(offset_), absl::StrCat(range_.chunk), "WITHSCORES"});
    DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command(std::move(cmd)));
    const auto& items = reply.elements();
    const int64_t count = static_cast<int64_t>(items.size() / 2);
    if (count < range_.chunk) exhausted_ = true;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      ScoredId e;
      double score = 0;
      if (!absl::SimpleAtod(items[i + 1].str(), &score)) {
        return absl::InternalError("notification store: bad score in " + key_);
      }
      e.score = static_cast<int64_t>(score);
      e.id = items[i].str();
      if (bound_ && e.score == *bound_) {
        ++offset_;
      } else {
        bound_ = e.score;
        offset_ = 1;
      }
      if (!Passed(e)) buffer_.push_back(std::move(e));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const ScoredId*> ZsetScan::Peek() {
  DF_RETURN_IF_ERROR(Fill());
  return buffer_.empty() ? nullptr : &buffer_.front();
}

absl::StatusOr<bool> ZsetScan::Next(ScoredId* out) {
  DF_RETURN_IF_ERROR(Fill());
  if (buffer_.empty()) return false;
  *out = std::move(buffer_.front());
  buffer_.pop_front();
  return true;
}

}  // namespace dermaflow::notification
