// Parked reminders on a real Redis (domain/parking.h): a reminder due far
// ahead waits in its day's bucket instead of the queue, is promoted into the
// queue when its day comes near and then claimed on time (fake clock);
// rescheduling, cancelling, replays, an interrupted promotion and an append
// racing one lose nothing and send nothing twice; the listing and the queue
// counts see parked reminders as SCHEDULED. The last test runs the whole
// engine: a maintenance reminder a year ahead is parked and delivered.
#include <algorithm>

#include "common/clock/clock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/parking.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/lua/drop_parked_day_lua.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_reminder_parking.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "tests/integration/notification/notification_test_env.h"
#include "tests/support/redis_server.h"

namespace dermaflow::notification {
namespace {

constexpr char kOrg[] = "park-clinic";
constexpr char kPatient[] = "p-1";
const absl::Duration kParkAfter = absl::Hours(48);

internal::StoredReminder Data(int i, absl::Time due) {
  internal::StoredReminder d;
  d.set_patient_id(kPatient);
  d.set_kind(v1::REMINDER_KIND_MAINTENANCE);
  d.set_appointment_id("a-" + std::to_string(i));
  d.set_protocol_id("proto");
  d.set_protocol_version(1);
  d.set_clinic_id("clinic");
  d.set_original_due_ms(ToMillis(due));
  d.set_due_ms(d.original_due_ms());
  return d;
}

ReminderWrite Create(int i, absl::Time due) {
  const internal::StoredReminder d = Data(i, due);
  ReminderWrite w;
  w.id = ReminderId(v1::REMINDER_KIND_MAINTENANCE, d.appointment_id(), "");
  w.value = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, d);
  w.score = d.due_ms();
  w.patient_id = kPatient;
  return w;
}

// `w` (as last written) moved to `state` due at `due`.
ReminderWrite Update(const ReminderWrite& w, v1::ReminderState state, absl::Time due) {
  absl::StatusOr<ReminderRecord> r = DecodeRecord(w.id, w.value);
  EXPECT_TRUE(r.ok()) << r.status();
  internal::StoredReminder d = r->data;
  d.set_due_ms(ToMillis(due));
  ReminderWrite u;
  u.op = ReminderWrite::Op::kUpdate;
  u.id = w.id;
  u.expected = w.value;
  u.value = EncodeRecord(state, d);
  u.score = d.due_ms();
  u.patient_id = kPatient;
  return u;
}

class ReminderParkingTest : public ::testing::Test {
 protected:
  // 2026-03-16 09:00 UTC.
  common::FakeClock clock_{absl::FromUnixSeconds(1'773'651'600)};
  dermaflow::testing::RedisServer server_;
  common::RedisClient redis_{*common::ParseRedisUrl(server_.url())};
  RedisReminderQueue queue_{redis_, {.park_after = kParkAfter, .clock = &clock_}};
  // Small slices, so a day takes several round trips.
  RedisReminderParking parking_{redis_, /*slice_entries=*/3};
  const NotificationKeys keys_ = *NotificationKeys::For(kOrg);

  void Write(const std::vector<ReminderWrite>& writes, int expect = 1) {
    WriteGroup group;
    group.atomic = false;
    group.writes = writes;
    absl::StatusOr<std::vector<WriteResult>> r = queue_.Write(kOrg, {group});
    ASSERT_TRUE(r.ok()) << r.status();
    for (int code : r->front().writes) ASSERT_EQ(code, expect);
  }

  PromotionResult Promote(absl::Time now, int max = 1'000,
                          const std::optional<ParkCursor>& resume = std::nullopt) {
    absl::StatusOr<PromotionResult> r =
        parking_.PromoteDays(kOrg, LastPromotableDay(ToMillis(now), kParkAfter), max, resume);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : PromotionResult{};
  }

  std::vector<std::string> ClaimIds(absl::Time now) {
    absl::StatusOr<std::vector<ClaimedReminder>> claimed =
        queue_.ClaimDue(kOrg, now, absl::Seconds(30), 1'000);
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    std::vector<std::string> ids;
    if (claimed.ok()) {
      for (const ClaimedReminder& c : *claimed) ids.push_back(c.record.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  common::RedisReply Command(const std::vector<std::string>& command) {
    absl::StatusOr<common::RedisReply> r = redis_.Command(command);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : common::RedisReply();
  }
  bool Queued(const std::string& id) { return !Command({"ZSCORE", keys_.queue, id}).is_nil(); }
  std::string Bucket(absl::Time due) { return *keys_.ParkBucket(ParkDay(ToMillis(due))); }
  std::string BucketBytes(absl::Time due) {
    common::RedisReply r = Command({"GET", Bucket(due)});
    return r.is_nil() ? "" : r.str();
  }
  int64_t Parked() {
    common::RedisReply r = Command({"GET", keys_.parked});
    return r.is_nil() ? 0 : *r.AsInt();
  }
  int64_t ParkDays() { return Command({"ZCARD", keys_.park_days}).integer(); }
  int64_t Scheduled() {
    absl::StatusOr<QueueCounts> counts = queue_.CountQueue(kOrg, clock_.Now());
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? counts->scheduled : -1;
  }

  // Every SCHEDULED reminder, `page_size` at a time, in list order.
  std::vector<std::string> ListScheduled(int page_size, const ReminderFilter& base = {}) {
    ReminderFilter filter = base;
    filter.states = {v1::REMINDER_STATE_SCHEDULED};
    std::vector<std::string> ids;
    std::optional<ListCursor> after;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<ReminderPage> page = queue_.ListReminders(kOrg, filter, page_size, after);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const ReminderRecord& r : page->reminders) ids.push_back(r.id);
      after = page->next;
      if (!after) break;
    }
    return ids;
  }
};

TEST_F(ReminderParkingTest, AFarReminderIsParkedThenPromotedADayAheadAndClaimedOnTime) {
  const absl::Time due = clock_.Now() + absl::Hours(24 * 30);
  const ReminderWrite far = Create(1, due);
  const ReminderWrite near = Create(2, clock_.Now() + absl::Hours(47));
  Write({far, near});

  EXPECT_FALSE(Queued(far.id));
  EXPECT_EQ(BucketBytes(due), far.id);
  EXPECT_EQ(ParkDays(), 1);
  EXPECT_TRUE(Queued(near.id));  // under the threshold: queued as before
  EXPECT_EQ(Parked(), 1);
  EXPECT_EQ(Scheduled(), 2);
  EXPECT_EQ(queue_.Get(kOrg, far.id)->record.state, v1::REMINDER_STATE_SCHEDULED);

  // Its day starts more than 24 h ahead: not yet.
  clock_.Set(due - absl::Hours(24 * 3));
  PromotionResult r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 0);
  EXPECT_FALSE(Queued(far.id));

  // Its day starts within 24 h: queued at its due time, the bucket gone.
  clock_.Set(FromMillis(ParkDayStartMs(ParkDay(ToMillis(due)))) - absl::Hours(23));
  r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 1);
  EXPECT_EQ(r.skipped_stale, 0);
  EXPECT_FALSE(r.resume.has_value());
  EXPECT_EQ(Command({"ZSCORE", keys_.queue, far.id}).str(), std::to_string(ToMillis(due)));
  EXPECT_EQ(Command({"EXISTS", Bucket(due)}).integer(), 0);
  EXPECT_EQ(ParkDays(), 0);
  EXPECT_EQ(Parked(), 0);

  EXPECT_EQ(ClaimIds(due - absl::Milliseconds(1)), std::vector<std::string>{near.id});
  EXPECT_EQ(ClaimIds(due), std::vector<std::string>{far.id});
}

TEST_F(ReminderParkingTest, ReschedulingFarToFarAndFarToNearLeavesStaleEntriesThatAreSkipped) {
  const absl::Time day_a = clock_.Now() + absl::Hours(24 * 10);
  const absl::Time day_b = clock_.Now() + absl::Hours(24 * 20);
  const ReminderWrite one = Create(1, day_a);
  const ReminderWrite two = Create(2, day_a + absl::Minutes(5));
  Write({one, two});
  ASSERT_EQ(Parked(), 2);

  const ReminderWrite one_later = Update(one, v1::REMINDER_STATE_SCHEDULED, day_b);
  const absl::Time soon = clock_.Now() + absl::Hours(5);
  const ReminderWrite two_near = Update(two, v1::REMINDER_STATE_SCHEDULED, soon);
  Write({one_later, two_near});
  EXPECT_EQ(BucketBytes(day_b), one.id);
  EXPECT_TRUE(Queued(two.id));
  EXPECT_FALSE(Queued(one.id));
  EXPECT_EQ(Parked(), 1);
  EXPECT_EQ(Scheduled(), 2);

  // Day A: both entries are stale (one waits in day B, two is queued).
  clock_.Set(day_a - absl::Hours(1));
  PromotionResult r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 0);
  EXPECT_EQ(r.skipped_stale, 2);
  EXPECT_EQ(Command({"EXISTS", Bucket(day_a)}).integer(), 0);
  EXPECT_EQ(Command({"ZSCORE", keys_.queue, two.id}).str(), std::to_string(ToMillis(soon)));
  EXPECT_FALSE(Queued(one.id));
  EXPECT_EQ(ClaimIds(day_a + absl::Hours(1)), std::vector<std::string>{two.id});

  clock_.Set(day_b - absl::Hours(1));
  r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 1);
  EXPECT_EQ(ClaimIds(day_b - absl::Milliseconds(1)), std::vector<std::string>{});
  EXPECT_EQ(ClaimIds(day_b), std::vector<std::string>{one.id});
  EXPECT_EQ(Parked(), 0);
}

TEST_F(ReminderParkingTest, ACancelledParkedReminderIsNeverQueued) {
  const absl::Time due = clock_.Now() + absl::Hours(24 * 60);
  const ReminderWrite w = Create(1, due);
  Write({w});
  Write({Update(w, v1::REMINDER_STATE_CANCELLED, due)});
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(Scheduled(), 0);
  EXPECT_EQ(BucketBytes(due), w.id);  // stale until its day

  clock_.Set(due - absl::Hours(2));
  PromotionResult r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 0);
  EXPECT_EQ(r.skipped_stale, 1);
  EXPECT_EQ(Command({"EXISTS", Bucket(due)}).integer(), 0);
  EXPECT_TRUE(ClaimIds(due + absl::Hours(1)).empty());
  EXPECT_EQ(queue_.Get(kOrg, w.id)->record.state, v1::REMINDER_STATE_CANCELLED);
}

TEST_F(ReminderParkingTest, ReplaysAndRepeatedEntriesQueueAReminderOnce) {
  const absl::Time due = clock_.Now() + absl::Hours(24 * 7);
  const ReminderWrite w = Create(1, due);
  Write({w});
  Write({w}, /*expect=*/0);  // a replayed create is skipped: nothing appended
  EXPECT_EQ(BucketBytes(due), w.id);
  // An update that keeps it in the same day appends it again.
  const ReminderWrite moved = Update(w, v1::REMINDER_STATE_SCHEDULED, due + absl::Minutes(10));
  Write({moved});
  const ReminderWrite back = Update(moved, v1::REMINDER_STATE_SCHEDULED, due);
  Write({back});
  EXPECT_EQ(BucketBytes(due), w.id + w.id + w.id);
  EXPECT_EQ(Parked(), 1);

  clock_.Set(due - absl::Hours(3));
  PromotionResult r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 1);
  EXPECT_EQ(r.skipped_stale, 2);
  EXPECT_EQ(Command({"ZCARD", keys_.queue}).integer(), 1);
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(ClaimIds(due), std::vector<std::string>{w.id});
  EXPECT_TRUE(ClaimIds(due + absl::Hours(1)).empty());
}

TEST_F(ReminderParkingTest, APromotionInterruptedAfterItsCompareAndSetLosesAndDoublesNothing) {
  const absl::Time due = clock_.Now() + absl::Hours(24 * 5);
  std::vector<ReminderWrite> writes;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    writes.push_back(Create(i, due + absl::Minutes(i)));
    ids.push_back(writes.back().id);
  }
  std::sort(ids.begin(), ids.end());
  Write(writes);
  clock_.Set(due - absl::Hours(6));

  // The pass queues all seven, then stops before dropping the bucket (as
  // a crash there would).
  PromotionResult r = Promote(clock_.Now(), /*max=*/7);
  EXPECT_EQ(r.promoted, 7);
  ASSERT_TRUE(r.resume.has_value());
  EXPECT_EQ(Command({"STRLEN", Bucket(due)}).integer(), 7 * 16);
  EXPECT_EQ(Command({"ZCARD", keys_.queue}).integer(), 7);
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(Scheduled(), 7);
  // Meanwhile the list shows each once, though queue and bucket both hold it.
  EXPECT_EQ(ListScheduled(2).size(), 7u);

  // A new process knows no cursor: it starts the day over.
  r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 0);
  EXPECT_EQ(r.skipped_stale, 7);
  EXPECT_EQ(Command({"EXISTS", Bucket(due)}).integer(), 0);
  EXPECT_EQ(Command({"ZCARD", keys_.queue}).integer(), 7);
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(ClaimIds(due + absl::Hours(1)), ids);
}

TEST_F(ReminderParkingTest, AnIdAppendedWhilePromotingIsPromotedBeforeTheBucketGoes) {
  const absl::Time due = clock_.Now() + absl::Hours(24 * 5);
  std::vector<ReminderWrite> writes;
  writes.reserve(4);
  for (int i = 0; i < 4; ++i) writes.push_back(Create(i, due + absl::Minutes(i)));
  Write(writes);
  const int64_t day = ParkDay(ToMillis(due));

  // The promoter has read every id (the writer's clock still parks into
  // this day, as a replica's clock a little behind would)...
  absl::StatusOr<PromotionResult> r = parking_.PromoteDays(kOrg, day, 4, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->resume.has_value());
  // ... when another write parks one more there.
  const ReminderWrite late = Create(9, due + absl::Minutes(30));
  Write({late});
  EXPECT_EQ(Command({"STRLEN", Bucket(due)}).integer(), 5 * 16);

  // The bucket is dropped only at the length the promoter has read.
  absl::StatusOr<common::RedisReply> dropped =
      redis_.Eval(DropParkedDayScript(), {Bucket(due), keys_.park_days},
                  {std::to_string(4 * 16), std::to_string(day)});
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(dropped->integer(), 5 * 16);
  EXPECT_EQ(Command({"EXISTS", Bucket(due)}).integer(), 1);

  r = parking_.PromoteDays(kOrg, day, 1'000, r->resume);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->promoted, 1);
  EXPECT_EQ(r->skipped_stale, 0);  // resumed after what was read
  EXPECT_FALSE(r->resume.has_value());
  EXPECT_EQ(Command({"EXISTS", Bucket(due)}).integer(), 0);
  EXPECT_EQ(ParkDays(), 0);
  EXPECT_TRUE(Queued(late.id));
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(ClaimIds(due + absl::Hours(1)).size(), 5u);
}

TEST_F(ReminderParkingTest, ListingPagesQueuedAndParkedRemindersInDueOrder) {
  const absl::Time now = clock_.Now();
  std::vector<ReminderWrite> writes;
  writes.reserve(15);
  // Queued: within 48 h. Parked: three far days, several per day, the
  // same due time twice (order by id).
  for (int i = 0; i < 4; ++i) writes.push_back(Create(i, now + absl::Hours(3 + 10 * i)));
  for (int i = 0; i < 9; ++i) {
    writes.push_back(Create(10 + i, now + absl::Hours(24 * (4 + 3 * (i % 3)) + i / 3)));
  }
  writes.push_back(Create(30, now + absl::Hours(24 * 7)));
  Write(writes);
  // Stale entries that must not show: a cancelled one and one moved to
  // another far day (listed once, at its new time).
  const ReminderWrite gone = Create(40, now + absl::Hours(24 * 4) + absl::Minutes(1));
  const ReminderWrite moved = Create(41, now + absl::Hours(24 * 4) + absl::Minutes(2));
  Write({gone, moved});
  const ReminderWrite moved_later =
      Update(moved, v1::REMINDER_STATE_SCHEDULED, now + absl::Hours(24 * 12));
  Write({Update(gone, v1::REMINDER_STATE_CANCELLED, now + absl::Hours(24 * 4)), moved_later});
  writes.push_back(moved_later);

  std::vector<std::pair<int64_t, std::string>> expected;
  expected.reserve(writes.size());
  for (const ReminderWrite& w : writes) expected.emplace_back(w.score, w.id);
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> expected_ids;
  expected_ids.reserve(expected.size());
  for (const auto& [due, id] : expected) expected_ids.push_back(id);
  ASSERT_EQ(Scheduled(), static_cast<int64_t>(expected_ids.size()));

  for (int page_size : {1, 3, 100}) {
    EXPECT_EQ(ListScheduled(page_size), expected_ids) << "page size " << page_size;
  }
  // A due window starting and ending inside parked days.
  ReminderFilter window;
  window.due_from = now + absl::Hours(24 * 5);
  window.due_to = now + absl::Hours(24 * 11);
  std::vector<std::string> in_window;
  for (const auto& [due, id] : expected) {
    if (due >= ToMillis(*window.due_from) && due < ToMillis(*window.due_to)) {
      in_window.push_back(id);
    }
  }
  EXPECT_EQ(ListScheduled(2, window), in_window);

  // Promoting the first far day changes nothing in the list.
  clock_.Set(now + absl::Hours(24 * 3) + absl::Hours(1));
  EXPECT_GT(Promote(clock_.Now()).promoted, 0);
  clock_.Set(now);
  EXPECT_EQ(ListScheduled(3), expected_ids);
}

TEST_F(ReminderParkingTest, CountsIncludeParkedRemindersUntilErasureOrPromotion) {
  const absl::Time now = clock_.Now();
  Write({Create(1, now + absl::Hours(1)), Create(2, now + absl::Hours(24 * 30)),
         Create(3, now + absl::Hours(24 * 31))});
  EXPECT_EQ(Scheduled(), 3);
  EXPECT_EQ(Parked(), 2);
  absl::StatusOr<QueueCounts> counts = queue_.CountQueue(kOrg, now + absl::Hours(2));
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->due, 1);
  EXPECT_EQ(counts->scheduled, 2);

  clock_.Set(now + absl::Hours(24 * 29) + absl::Hours(12));
  EXPECT_EQ(Promote(clock_.Now()).promoted, 1);
  EXPECT_EQ(Parked(), 1);
  EXPECT_EQ(Scheduled(), 2);  // the promoted one now counts in the queue

  ASSERT_TRUE(queue_.ErasePatient(kOrg, kPatient).ok());
  EXPECT_EQ(Parked(), 0);
  EXPECT_EQ(Scheduled(), 0);
  clock_.Set(now + absl::Hours(24 * 31));
  PromotionResult r = Promote(clock_.Now());
  EXPECT_EQ(r.promoted, 0);
  EXPECT_EQ(r.skipped_stale, 1);
  EXPECT_EQ(ParkDays(), 0);
}

TEST_F(ReminderParkingTest, ParkingOffQueuesEverything) {
  RedisReminderQueue unparked(redis_, {.clock = &clock_});
  WriteGroup group;
  group.writes = {Create(1, clock_.Now() + absl::Hours(24 * 300))};
  ASSERT_TRUE(unparked.Write(kOrg, {group}).ok());
  EXPECT_TRUE(Queued(group.writes[0].id));
  EXPECT_EQ(ParkDays(), 0);
  EXPECT_EQ(Parked(), 0);
}

// The whole engine (NotificationApp with its defaults): a maintenance
// reminder a year ahead waits parked, the dispatcher's loop promotes it the
// day before, and it is sent at its time, once.
TEST(ReminderParkingEngineTest, AMaintenanceReminderAYearAheadIsParkedPromotedAndDeliveredOnTime) {
  testing::NotificationTestEnv env;
  const std::string ben =
      env.CreatePatient({.given_name = "Ben", .locale = "en-GB", .email = true});
  env.Publish(testing::CourseCompleted("c-1", ben, env.Protocol("collagen_injection").id, 2027, 3,
                                       27, env.clock.Now()));
  env.DrainEvents(1);
  const v1::Reminder maintenance =
      env.OnlyReminder(ben, v1::ReminderKind::REMINDER_KIND_MAINTENANCE);
  const absl::Time due = ToTime(maintenance.due_time());
  ASSERT_EQ(due, testing::Berlin(2027, 3, 13, 10, 0));
  const NotificationKeys keys = *NotificationKeys::For(testing::kOrg);
  EXPECT_TRUE(env.redis().Command({"ZSCORE", keys.queue, maintenance.id()})->is_nil());
  const std::string bucket = *keys.ParkBucket(ParkDay(ToMillis(due)));
  EXPECT_NE(env.redis().Command({"GET", bucket})->str().find(maintenance.id()), std::string::npos);
  EXPECT_EQ(env.Dispatch(), 0);

  env.clock.Set(due - absl::Hours(20));
  EXPECT_EQ(env.Dispatch(), 0);  // promoted, not due
  EXPECT_EQ(env.redis().Command({"ZSCORE", keys.queue, maintenance.id()})->str(),
            std::to_string(ToMillis(due)));
  EXPECT_EQ(env.Metric("dermaflow_notification_park_promotions_total", {{"outcome", "promoted"}}),
            1);
  env.clock.Set(due - absl::Seconds(1));
  EXPECT_EQ(env.Dispatch(), 0);
  env.clock.Set(due);
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(1, std::chrono::seconds(5)));
  EXPECT_EQ(env.smtp.mails().back().headers.at("x-dermaflow-reminder-id"), maintenance.id());
  env.clock.Advance(absl::Hours(1));
  EXPECT_EQ(env.Dispatch(), 0);
  EXPECT_EQ(env.smtp.mails().size(), 1u);
}

}  // namespace
}  // namespace dermaflow::notification
