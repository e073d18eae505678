// Records dispatch outcomes as their sends complete, so a crash resends at
// most the sends that were in flight, not the rest of a claimed batch. A
// worker's Record returns only once its outcome is in Redis; outcomes that
// workers finish while a write is running go together in the next write
// (group commit), so with N workers a write carries up to N outcomes and
// the Redis cost stays close to one write per batch.
//
//   OutcomeRecorder recorder(queue);
//   absl::StatusOr<int> code = recorder.Record(org, outcome_write);  // 1, or -1: claim lost
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notification/domain/reminder_writes.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

class OutcomeRecorder {
 public:
  explicit OutcomeRecorder(ReminderQueue& queue) : queue_(queue) {}

  // Writes one outcome (a write with the claim's token) and waits until it is
  // stored. Returns put_reminders' code for it (1 applied, -1 the claim was
  // no longer this worker's) or the error of the write that carried it.
  // Thread-safe: meant to be called by every dispatch worker at once.
  absl::StatusOr<int> Record(const std::string& org, ReminderWrite write);

 private:
  struct Pending {
    const std::string* org;
    ReminderWrite* write;
    absl::StatusOr<int> result = 0;
    bool done = false;
    bool lead = false;             // handed the next write by the caller who wrote the last
    std::condition_variable wake;  // its own: a write wakes only the callers it concerns
  };
  // Writes `batch` (one call per organization) and fills in the results.
  void WriteAll(const std::vector<Pending*>& batch);

  ReminderQueue& queue_;
  std::mutex mu_;
  std::vector<Pending*> waiting_;
  bool writing_ = false;  // some caller is writing a group
};

}  // namespace dermaflow::notification
