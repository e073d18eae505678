// Reads a sorted set in (score, member) order, ascending or descending, a
// chunk at a time, resuming strictly after a cursor: what paginated lists
// over the queue sets and the delivery history are built on.
//
//   ZsetScan scan(redis, keys.queue, {.min = from_ms, .max_exclusive = to_ms, .after = cursor});
//   ScoredId next;
//   while (scan.Next(&next).value_or(false)) ...
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "services/notification/store/list_cursor.h"

namespace dermaflow::notification {

struct ScoredId {
  int64_t score = 0;
  std::string id;
};

struct ZsetScanRange {
  bool descending = false;
  std::optional<int64_t> min = {};  // inclusive
  std::optional<int64_t> max_exclusive = {};
  std::optional<ListCursor> after = {};  // strictly after, in scan order
  int chunk = 200;
};

class ZsetScan {
 public:
  ZsetScan(common::RedisClient& redis, std::string key, ZsetScanRange range);

  // false when the set is exhausted.
  absl::StatusOr<bool> Next(ScoredId* out);
  absl::StatusOr<const ScoredId*> Peek();

 private:
  absl::Status Fill();
  bool Passed(const ScoredId& e) const;  // not after the cursor yet

  common::RedisClient& redis_;
  const std::string key_;
  const ZsetScanRange range_;
  std::deque<ScoredId> buffer_;
  bool exhausted_ = false;
  // Where the next chunk starts: the score bound and how many members with
  // exactly that score were read already (members tie-break by name).
  std::optional<int64_t> bound_;
  int64_t offset_ = 0;
};

}  // namespace dermaflow::notification
