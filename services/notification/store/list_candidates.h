// A source of reminder candidates for a list in (due, id) order: the
// listing (reminder_listing.cc) merges several (one per state set, and the
// parked reminders) and takes the smallest head each time.
//
//   for (const ScoredId* head; (head = *source.Peek()) != nullptr; source.Pop()) ...
#pragma once

#include "absl/status/statusor.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {

class Candidates {
 public:
  virtual ~Candidates() = default;
  // The next candidate (nullptr: none left); stays valid until Pop().
  virtual absl::StatusOr<const ScoredId*> Peek() = 0;
  virtual void Pop() = 0;
};

}  // namespace dermaflow::notification
