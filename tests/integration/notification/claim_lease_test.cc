// Claims and leases of the reminder queue on a real Redis: a claim lists the
// reminder in the in-flight set without rewriting its record, yet every
// reader (Get, listing, planning, compare-and-set writes) sees it IN_FLIGHT;
// a lease that ran out is taken over by the next claim, a renewed one is not,
// and only the latest claim's outcome is applied (checked by its claim token,
// which no other claim ever gets, whatever the claimers' clocks say). Leases
// run on Redis's clock, so the tests that let one run out wait for it.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "tests/support/redis_server.h"

namespace dermaflow::notification {
namespace {

constexpr char kOrg[] = "lease-clinic";
constexpr char kPatient[] = "p-lease";

internal::StoredReminder Data(absl::Time due) {
  internal::StoredReminder d;
  d.set_patient_id(kPatient);
  d.set_kind(v1::REMINDER_KIND_FOLLOW_UP);
  d.set_appointment_id("a-lease");
  d.set_protocol_id("proto");
  d.set_protocol_version(1);
  d.set_clinic_id("clinic");
  d.set_original_due_ms(ToMillis(due));
  d.set_due_ms(d.original_due_ms());
  return d;
}

class ClaimLeaseTest : public ::testing::Test {
 protected:
  testing::RedisServer server_;
  common::RedisClient redis_{*common::ParseRedisUrl(server_.url())};
  RedisReminderQueue queue_{redis_};
  const absl::Time due_ = absl::FromUnixSeconds(1'800'000'000);
  const std::string id_ = ReminderId(v1::REMINDER_KIND_FOLLOW_UP, "a-lease", "");

  void SetUp() override {
    ReminderWrite w;
    w.id = id_;
    w.value = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, Data(due_));
    w.score = ToMillis(due_);
    w.patient_id = kPatient;
    ASSERT_EQ(WriteOne(std::move(w)), 1);
  }

  // put_reminders' code for one write: 1 applied, 0 skipped, -1 conflict.
  int WriteOne(ReminderWrite w) {
    WriteGroup group;
    group.atomic = false;
    group.writes.push_back(std::move(w));
    absl::StatusOr<std::vector<WriteResult>> r = queue_.Write(kOrg, {group});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->front().writes.front() : -9;
  }

  std::vector<ClaimedReminder> Claim(absl::Time now, absl::Duration lease = absl::Seconds(30)) {
    absl::StatusOr<std::vector<ClaimedReminder>> c = queue_.ClaimDue(kOrg, now, lease, 10);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : std::vector<ClaimedReminder>{};
  }

  std::vector<std::string> Renew(const ClaimedReminder& c, absl::Duration lease) {
    absl::StatusOr<std::vector<std::string>> lost =
        queue_.RenewClaims(kOrg, {HeldClaim{c.record.id, c.claim_token}}, lease);
    EXPECT_TRUE(lost.ok()) << lost.status();
    return lost.ok() ? *lost : std::vector<std::string>{"error"};
  }

  // The dispatcher's outcome write for a claim: `state` with `d`.
  static ReminderWrite Outcome(const ClaimedReminder& c, v1::ReminderState state,
                               const internal::StoredReminder& d) {
    ReminderWrite w;
    w.op = ReminderWrite::Op::kUpdate;
    w.id = c.record.id;
    w.claim_token = c.claim_token;
    w.value = EncodeRecord(state, d);
    w.score = d.due_ms();
    w.patient_id = kPatient;
    return w;
  }

  // ... retry at `due`.
  static ReminderWrite Retry(const ClaimedReminder& c, absl::Time due) {
    internal::StoredReminder d = c.record.data;
    d.set_attempts(d.attempts() + 1);
    d.set_due_ms(ToMillis(due));
    return Outcome(c, v1::REMINDER_STATE_RETRYING, d);
  }

  // ... delivered at `at`.
  static ReminderWrite Delivered(const ClaimedReminder& c, absl::Time at) {
    internal::StoredReminder d = c.record.data;
    d.set_delivered_ms(ToMillis(at));
    return Outcome(c, v1::REMINDER_STATE_DELIVERED, d);
  }

  v1::ReminderState StateNow() {
    absl::StatusOr<VersionedRecord> r = queue_.Get(kOrg, id_);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->record.state : v1::REMINDER_STATE_UNSPECIFIED;
  }

  int64_t InFlightCount() {
    absl::StatusOr<QueueCounts> counts = queue_.CountQueue(kOrg, due_);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? counts->in_flight : -1;
  }
};

TEST_F(ClaimLeaseTest, AClaimedReminderReadsInFlightEverywhereAndEventsCannotChangeIt) {
  absl::StatusOr<VersionedRecord> before = queue_.Get(kOrg, id_);
  ASSERT_TRUE(before.ok()) << before.status();

  std::vector<ClaimedReminder> claimed = Claim(due_);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].record.state, v1::REMINDER_STATE_IN_FLIGHT);
  EXPECT_FALSE(claimed[0].reclaimed);
  EXPECT_GT(claimed[0].claim_token, 0);

  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_IN_FLIGHT);
  absl::StatusOr<PlanningSnapshot> planning = queue_.ReadForPlanning(kOrg, {kPatient}, {});
  ASSERT_TRUE(planning.ok()) << planning.status();
  ASSERT_EQ(planning->records[kPatient].count(id_), 1u);
  EXPECT_EQ(planning->records[kPatient][id_][0], 'I');
  ReminderFilter filter;
  filter.patient_id = kPatient;
  absl::StatusOr<ReminderPage> listed = queue_.ListReminders(kOrg, filter, 10, std::nullopt);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->reminders.size(), 1u);
  EXPECT_EQ(listed->reminders[0].state, v1::REMINDER_STATE_IN_FLIGHT);

  // An event's write based on the SCHEDULED record read before the claim
  // (cancel it) is a conflict: the claimed reminder is being sent.
  internal::StoredReminder cancelled = before->record.data;
  ReminderWrite cancel;
  cancel.op = ReminderWrite::Op::kUpdate;
  cancel.id = id_;
  cancel.expected = before->bytes;
  cancel.value = EncodeRecord(v1::REMINDER_STATE_CANCELLED, cancelled);
  cancel.score = ToMillis(due_);
  cancel.patient_id = kPatient;
  EXPECT_EQ(WriteOne(std::move(cancel)), -1);
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_IN_FLIGHT);

  // The claim's own outcome is applied and ends the lease.
  EXPECT_EQ(WriteOne(Delivered(claimed[0], due_ + absl::Seconds(1))), 1);
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_DELIVERED);
  EXPECT_EQ(InFlightCount(), 0);
  EXPECT_TRUE(Claim(due_ + absl::Minutes(5)).empty());
}

TEST_F(ClaimLeaseTest, AnExpiredLeaseIsTakenOverAndOnlyTheLatestClaimsOutcomeIsApplied) {
  std::vector<ClaimedReminder> first = Claim(due_, absl::Milliseconds(300));
  ASSERT_EQ(first.size(), 1u);
  // Not by the engine's clock: a claimer whose clock is far ahead still waits.
  EXPECT_TRUE(Claim(due_ + absl::Hours(1)).empty()) << "the lease still runs";
  absl::SleepFor(absl::Milliseconds(400));

  std::vector<ClaimedReminder> second = Claim(due_);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(second[0].reclaimed);
  EXPECT_EQ(second[0].record.state, v1::REMINDER_STATE_IN_FLIGHT);
  EXPECT_GT(second[0].claim_token, first[0].claim_token);
  EXPECT_EQ(InFlightCount(), 1);

  // The worker whose lease ran out reports late: refused, the new claim owns
  // it. The new claim's outcome is applied; a replay of it conflicts.
  EXPECT_EQ(WriteOne(Delivered(first[0], due_ + absl::Seconds(40))), -1);
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_IN_FLIGHT);
  EXPECT_EQ(WriteOne(Delivered(second[0], due_ + absl::Seconds(41))), 1);
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_DELIVERED);
  EXPECT_EQ(WriteOne(Delivered(second[0], due_ + absl::Seconds(42))), -1);
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_DELIVERED);
  EXPECT_EQ(InFlightCount(), 0);
}

TEST_F(ClaimLeaseTest, ARenewedLeaseIsKeptAndARenewalOfATakenOverClaimReportsItLost) {
  std::vector<ClaimedReminder> first = Claim(due_, absl::Milliseconds(300));
  ASSERT_EQ(first.size(), 1u);
  // A live worker's heartbeat: its claim outlives the first lease.
  EXPECT_TRUE(Renew(first[0], absl::Seconds(30)).empty());
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_TRUE(Claim(due_).empty()) << "a renewed claim was taken over";

  // A worker that fell silent: another one takes the claim over, and the
  // silent one learns on its next renewal that it must not send.
  EXPECT_TRUE(Renew(first[0], absl::Milliseconds(300)).empty());
  absl::SleepFor(absl::Milliseconds(400));
  std::vector<ClaimedReminder> second = Claim(due_);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_THAT(Renew(first[0], absl::Seconds(30)), ::testing::ElementsAre(id_));
  EXPECT_TRUE(Renew(second[0], absl::Seconds(30)).empty());
  EXPECT_EQ(WriteOne(Delivered(first[0], due_)), -1);
  EXPECT_EQ(WriteOne(Delivered(second[0], due_)), 1);
  EXPECT_THAT(Renew(second[0], absl::Seconds(30)), ::testing::ElementsAre(id_)) << "ended";
}

// The review finding: tokens were the lease expiry by the claimer's clock, so
// a claim by a replica whose clock was behind could get the token of an
// earlier claim, and that claim's late or replayed outcome was applied to it.
TEST_F(ClaimLeaseTest, AClaimTokenIsNeverReusedWhateverTheClaimersClocksSay) {
  std::set<int64_t> tokens;
  std::vector<ClaimedReminder> first = Claim(due_);
  ASSERT_EQ(first.size(), 1u);
  tokens.insert(first[0].claim_token);
  ReminderWrite retry = Retry(first[0], due_);  // due again at once
  EXPECT_EQ(WriteOne(retry), 1);
  // A replica whose clock shows the same millisecond as the first's did.
  std::vector<ClaimedReminder> second = Claim(due_);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(tokens.insert(second[0].claim_token).second) << "token reused";
  EXPECT_EQ(WriteOne(retry), -1) << "the first claim's outcome, replayed, hit the second claim";
  EXPECT_EQ(StateNow(), v1::REMINDER_STATE_IN_FLIGHT);
  EXPECT_EQ(WriteOne(Retry(second[0], due_)), 1);
}

TEST_F(ClaimLeaseTest, AReminderErasedWhileInFlightLeavesNoLeaseAndNoOutcome) {
  std::vector<ClaimedReminder> claimed = Claim(due_);
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(queue_.ErasePatient(kOrg, kPatient).ok());
  EXPECT_EQ(WriteOne(Delivered(claimed[0], due_ + absl::Seconds(1))), -1);
  EXPECT_EQ(InFlightCount(), 0);
  EXPECT_THAT(Renew(claimed[0], absl::Seconds(30)), ::testing::ElementsAre(id_));
  absl::StatusOr<NotificationKeys> keys = NotificationKeys::For(kOrg);
  ASSERT_TRUE(keys.ok());
  absl::StatusOr<common::RedisReply> token = redis_.Command({"HEXISTS", keys->claims, id_});
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->integer(), 0) << "the claim's token outlived the erasure";
  absl::StatusOr<VersionedRecord> gone = queue_.Get(kOrg, id_);
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace dermaflow::notification
