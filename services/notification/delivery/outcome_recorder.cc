#include "services/notification/delivery/outcome_recorder.h"

#include <map>
#include <utility>

namespace dermaflow::notification {

absl::StatusOr<int> OutcomeRecorder::Record(const std::string& org, ReminderWrite write) {
  Pending me{&org, &write};
  std::unique_lock<std::mutex> lock(mu_);
  waiting_.push_back(&me);
  if (writing_) {
    me.wake.wait(lock, [&] { return me.done || me.lead; });
    if (me.done) return me.result;
  }
  // Nobody else is writing (or the last writer handed this caller the next
  // write): it writes everything that waits, its own outcome included, while
  // new ones gather for the next write.
  writing_ = true;
  std::vector<Pending*> batch;
  batch.swap(waiting_);
  lock.unlock();
  WriteAll(batch);
  lock.lock();
  for (Pending* p : batch) {
    p->done = true;
    if (p != &me) p->wake.notify_one();
  }
  if (waiting_.empty()) {
    writing_ = false;
  } else {
    // The first who waits writes next: every caller is woken once, either
    // with its result or to write.
    waiting_.front()->lead = true;
    waiting_.front()->wake.notify_one();
  }
  return me.result;
}

void OutcomeRecorder::WriteAll(const std::vector<Pending*>& batch) {
  std::map<std::string, std::vector<Pending*>> by_org;
  for (Pending* p : batch) by_org[*p->org].push_back(p);
  for (auto& [org, pending] : by_org) {
    WriteGroup group;
    group.atomic = false;  // each outcome stands alone (a record may have been erased)
    group.writes.reserve(pending.size());
    for (Pending* p : pending) group.writes.push_back(std::move(*p->write));
    absl::StatusOr<std::vector<WriteResult>> written = queue_.Write(org, {group});
    for (size_t i = 0; i < pending.size(); ++i) {
      Pending& p = *pending[i];
      if (!written.ok()) {
        p.result = written.status();
      } else if (written->empty() || i >= written->front().writes.size()) {
        p.result = absl::InternalError("notification store: short outcome reply");
      } else {
        p.result = written->front().writes[i];
      }
    }
  }
}

}  // namespace dermaflow::notification
