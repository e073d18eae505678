// OutcomeRecorder: each worker's outcome is stored before Record returns,
// with its own result; outcomes recorded at the same time share writes; a
// failed write reaches every outcome it carried.
#include "services/notification/delivery/outcome_recorder.h"

#include <atomic>
#include <set>
#include <thread>

#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

// A queue that only takes writes: it remembers the ids written, answers -1
// for ids starting with "lost", and can be made to fail or to be slow.
class WriteOnlyQueue : public ReminderQueue {
 public:
  absl::StatusOr<std::vector<WriteResult>> Write(const std::string& org,
                                                 const std::vector<WriteGroup>& groups) override {
    absl::SleepFor(delay);
    ++calls;
    if (fail) return absl::UnavailableError("redis down");
    std::vector<WriteResult> results;
    std::lock_guard<std::mutex> lock(mu);
    for (const WriteGroup& g : groups) {
      WriteResult& r = results.emplace_back();
      for (const ReminderWrite& w : g.writes) {
        written.insert(org + "/" + w.id);
        r.writes.push_back(w.id.rfind("lost", 0) == 0 ? -1 : 1);
      }
    }
    return results;
  }
  bool Written(const std::string& org, const std::string& id) {
    std::lock_guard<std::mutex> lock(mu);
    return written.contains(org + "/" + id);
  }

  absl::StatusOr<PlanningSnapshot> ReadForPlanning(const std::string&,
                                                   const std::vector<std::string>&,
                                                   const std::vector<std::string>&) override {
    return absl::UnimplementedError("");
  }
  absl::Status ErasePatient(const std::string&, const std::string&) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<std::vector<DueProbe>> ProbeDue(const std::vector<std::string>&,
                                                 absl::Time) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string&, absl::Time,
                                                        absl::Duration, int) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<std::vector<std::string>> RenewClaims(const std::string&,
                                                       const std::vector<HeldClaim>&,
                                                       absl::Duration) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<VersionedRecord> Get(const std::string&, const std::string&) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<ReminderPage> ListReminders(const std::string&, const ReminderFilter&, int,
                                             const std::optional<ListCursor>&) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<ReminderPage> ListDeadLetters(const std::string&, int,
                                               const std::optional<ListCursor>&) override {
    return absl::UnimplementedError("");
  }
  absl::StatusOr<QueueCounts> CountQueue(const std::string&, absl::Time) override {
    return absl::UnimplementedError("");
  }

  absl::Duration delay = absl::ZeroDuration();
  std::atomic<bool> fail{false};
  std::atomic<int> calls{0};
  std::mutex mu;
  std::set<std::string> written;
};

ReminderWrite Outcome(const std::string& id) {
  ReminderWrite w;
  w.op = ReminderWrite::Op::kUpdate;
  w.id = id;
  w.claim_token = 7;
  return w;
}

TEST(OutcomeRecorderTest, EachOutcomeIsStoredBeforeRecordReturnsWithItsOwnResult) {
  WriteOnlyQueue queue;
  queue.delay = absl::Milliseconds(5);  // so outcomes pile up behind a running write
  OutcomeRecorder recorder(queue);
  constexpr int kWorkers = 8;
  constexpr int kEach = 25;
  std::atomic<int> wrong{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kWorkers; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = (i % 5 == 0 ? "lost-" : "r-") + std::to_string(t * kEach + i);
        const std::string org = t % 2 ? "org-a" : "org-b";
        absl::StatusOr<int> code = recorder.Record(org, Outcome(id));
        const int want = i % 5 == 0 ? -1 : 1;
        if (!code.ok() || *code != want || !queue.Written(org, id)) ++wrong;
      }
    });
  }
  for (std::thread& w : workers) w.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(queue.written.size(), static_cast<size_t>(kWorkers * kEach));
  // Group commit: far fewer writes than outcomes (one per outcome would be 200).
  EXPECT_LT(queue.calls, kWorkers * kEach / 2);
}

TEST(OutcomeRecorderTest, AFailedWriteFailsEveryOutcomeItCarried) {
  WriteOnlyQueue queue;
  queue.fail = true;
  OutcomeRecorder recorder(queue);
  absl::StatusOr<int> code = recorder.Record("org-a", Outcome("r-1"));
  EXPECT_EQ(code.status().code(), absl::StatusCode::kUnavailable);
  queue.fail = false;
  code = recorder.Record("org-a", Outcome("r-1"));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 1);
}

}  // namespace
}  // namespace dermaflow::notification
