#include "services/notification/store/reminder_listing.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "common/status/macros.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/list_candidates.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/parked_candidates.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {
namespace {

using common::RedisReply;

bool Before(int64_t a_ms, const std::string& a_id, int64_t b_ms, const std::string& b_id) {
  return a_ms != b_ms ? a_ms < b_ms : a_id < b_id;
}

class ZsetCandidates : public Candidates {
 public:
  ZsetCandidates(common::RedisClient& redis, std::string key, ZsetScanRange range)
      : scan_(redis, std::move(key), std::move(range)) {}
  absl::StatusOr<const ScoredId*> Peek() override { return scan_.Peek(); }
  void Pop() override {
    ScoredId ignored;
    (void)scan_.Next(&ignored);
  }

 private:
  ZsetScan scan_;
};

// IN_FLIGHT and DEAD_LETTER sets are scored by lease and failure time, not
// by due time; they are small, so they are read whole and sorted by due.
class LoadedCandidates : public Candidates {
 public:
  explicit LoadedCandidates(std::vector<ScoredId> sorted) : items_(std::move(sorted)) {}
  absl::StatusOr<const ScoredId*> Peek() override {
    return next_ < items_.size() ? &items_[next_] : nullptr;
  }
  void Pop() override { ++next_; }

 private:
  std::vector<ScoredId> items_;
  size_t next_ = 0;
};

bool Wants(const ReminderFilter& f, std::initializer_list<ReminderState> states) {
  if (f.states.empty()) return true;
  for (ReminderState s : states) {
    if (std::find(f.states.begin(), f.states.end(), s) != f.states.end()) return true;
  }
  return false;
}

absl::StatusOr<ReminderPage> ListPatientReminders(common::RedisClient& redis,
                                                  RecordStorage& storage, const std::string& org,
                                                  const ReminderFilter& filter, int page_size,
                                                  const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(std::string open, keys.PatientIndex(filter.patient_id));
  DF_ASSIGN_OR_RETURN(std::string final, keys.PatientFinalIndex(filter.patient_id));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> id_replies,
                      redis.Pipeline({{"HKEYS", open}, {"HKEYS", final}}));
  std::vector<std::string> ids;
  for (const RedisReply& reply : id_replies) {
    DF_RETURN_IF_ERROR(reply.ToStatus());
    for (const RedisReply& r : reply.elements()) ids.push_back(r.str());
  }
  std::sort(ids.begin(), ids.end());  // an index from before the split may repeat an id
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  DF_ASSIGN_OR_RETURN(std::vector<ReminderRecord> records, storage.Load(org, ids));
  std::erase_if(records, [&](const ReminderRecord& r) {
    return !filter.Matches(r) ||
           (after && !Before(after->time_ms, after->id, r.data.due_ms(), r.id));
  });
  std::sort(records.begin(), records.end(), [](const ReminderRecord& a, const ReminderRecord& b) {
    return Before(a.data.due_ms(), a.id, b.data.due_ms(), b.id);
  });
  ReminderPage page;
  if (static_cast<int>(records.size()) > page_size) {
    records.resize(page_size);
    page.next = ListCursor{records.back().data.due_ms(), records.back().id};
  }
  page.reminders = std::move(records);
  return page;
}

}  // namespace

absl::StatusOr<ReminderPage> ListStoredReminders(common::RedisClient& redis, RecordStorage& storage,
                                                 const std::string& org,
                                                 const ReminderFilter& filter, int page_size,
                                                 const std::optional<ListCursor>& after) {
  if (!filter.patient_id.empty()) {
    return ListPatientReminders(redis, storage, org, filter, page_size, after);
  }
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));

  // Sets scored by due time are scanned in order; the others loaded whole.
  ZsetScanRange range;
  if (filter.due_from) range.min = ToMillis(*filter.due_from);
  if (filter.due_to) range.max_exclusive = ToMillis(*filter.due_to);
  range.after = after;
  std::vector<std::unique_ptr<Candidates>> sources;
  std::map<std::string, ReminderRecord> loaded;
  if (Wants(filter, {ReminderState::REMINDER_STATE_SCHEDULED})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis, keys.queue, range));
    sources.push_back(std::make_unique<ParkedCandidates>(redis, storage, org, range, loaded));
  }
  if (Wants(filter, {ReminderState::REMINDER_STATE_RETRYING})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis, keys.retry, range));
  }
  if (Wants(filter,
            {ReminderState::REMINDER_STATE_DELIVERED, ReminderState::REMINDER_STATE_CANCELLED,
             ReminderState::REMINDER_STATE_SUPPRESSED})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis, keys.done, range));
  }
  for (const auto& [state, key] :
       {std::pair{ReminderState::REMINDER_STATE_IN_FLIGHT, keys.inflight},
        std::pair{ReminderState::REMINDER_STATE_DEAD_LETTER, keys.dead}}) {
    if (!Wants(filter, {state})) continue;
    DF_ASSIGN_OR_RETURN(RedisReply members, redis.Command({"ZRANGE", key, "0", "-1"}));
    std::vector<std::string> ids;
    for (const RedisReply& m : members.elements()) ids.push_back(m.str());
    DF_ASSIGN_OR_RETURN(std::vector<ReminderRecord> records, storage.Load(org, ids));
    std::vector<ScoredId> sorted;
    for (ReminderRecord& r : records) {
      if (after && !Before(after->time_ms, after->id, r.data.due_ms(), r.id)) continue;
      sorted.push_back(ScoredId{r.data.due_ms(), r.id});
      loaded[r.id] = std::move(r);
    }
    std::sort(sorted.begin(), sorted.end(), [](const ScoredId& a, const ScoredId& b) {
      return Before(a.score, a.id, b.score, b.id);
    });
    sources.push_back(std::make_unique<LoadedCandidates>(std::move(sorted)));
  }

  // Merge the sources, fetch records a batch at a time and filter them; one
  // match beyond the page says whether there is a next page.
  ReminderPage page;
  int scanned = 0;
  std::optional<ListCursor> last_scanned;
  std::optional<ScoredId> previous;
  while (true) {
    std::vector<ScoredId> batch;
    while (batch.size() < 100) {
      Candidates* best = nullptr;
      const ScoredId* best_head = nullptr;
      for (auto& source : sources) {
        DF_ASSIGN_OR_RETURN(const ScoredId* head, source->Peek());
        if (head &&
            (!best_head || Before(head->score, head->id, best_head->score, best_head->id))) {
          best = source.get();
          best_head = head;
        }
      }
      if (!best) break;
      // A reminder being promoted is in the queue and still in its bucket:
      // both sources name it, one right after the other.
      const bool repeat =
          previous && previous->score == best_head->score && previous->id == best_head->id;
      if (!repeat) {
        previous = *best_head;
        batch.push_back(*best_head);
      }
      best->Pop();
    }
    if (batch.empty()) return page;
    std::vector<std::string> missing;
    for (const ScoredId& c : batch) {
      if (!loaded.contains(c.id)) missing.push_back(c.id);
    }
    DF_ASSIGN_OR_RETURN(std::vector<ReminderRecord> fetched, storage.Load(org, missing));
    for (ReminderRecord& r : fetched) loaded[r.id] = std::move(r);
    for (const ScoredId& c : batch) {
      ++scanned;
      last_scanned = ListCursor{c.score, c.id};
      auto it = loaded.find(c.id);
      if (it == loaded.end() || !filter.Matches(it->second)) continue;
      if (static_cast<int>(page.reminders.size()) == page_size) {
        page.next = ListCursor{page.reminders.back().data.due_ms(), page.reminders.back().id};
        return page;
      }
      page.reminders.push_back(std::move(it->second));
      loaded.erase(it);
    }
    if (scanned >= kListScanBudget) {
      // A sparse filter over a big queue: hand back what was found and
      // continue from here next time rather than scan without bound.
      page.next = last_scanned;
      return page;
    }
  }
}

}  // namespace dermaflow::notification
