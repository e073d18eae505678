// The reminder queue's per-patient indexes and retention on a real Redis:
// planning reads only the patient's open reminders (so its cost does not
// grow with their history), listing by patient and erasure still see every
// reminder, and the retention sweep deletes finished reminders with their
// messages once they are older than the retention, by the engine's clock.
#include "common/clock/clock.h"
#include "common/events/event_stream.h"
#include "gtest/gtest.h"
#include "services/notification/delivery/retention_sweeper.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/redis_delivery_store.h"
#include "services/notification/store/redis_event_backlog.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "services/notification/store/redis_reminder_retention.h"
#include "tests/support/redis_server.h"

namespace dermaflow::notification {
namespace {

constexpr char kOrg[] = "index-clinic";
constexpr char kPatient[] = "p-1";

ReminderWrite Create(int i, absl::Time due) {
  internal::StoredReminder d;
  d.set_patient_id(kPatient);
  d.set_kind(v1::REMINDER_KIND_FOLLOW_UP);
  d.set_appointment_id("a-" + std::to_string(i));
  d.set_protocol_id("proto");
  d.set_protocol_version(1);
  d.set_clinic_id("clinic");
  d.set_original_due_ms(ToMillis(due));
  d.set_due_ms(d.original_due_ms());
  ReminderWrite w;
  w.id = ReminderId(v1::REMINDER_KIND_FOLLOW_UP, d.appointment_id(), "");
  w.value = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, d);
  w.score = d.due_ms();
  w.patient_id = kPatient;
  return w;
}

class ReminderIndexesTest : public ::testing::Test {
 protected:
  testing::RedisServer server_;
  common::RedisClient redis_{*common::ParseRedisUrl(server_.url())};
  RedisReminderQueue queue_{redis_};

  void Write(std::vector<ReminderWrite> writes) {
    WriteGroup group;
    group.atomic = false;
    group.writes = std::move(writes);
    absl::StatusOr<std::vector<WriteResult>> r = queue_.Write(kOrg, {group});
    ASSERT_TRUE(r.ok()) << r.status();
    for (int code : r->front().writes) ASSERT_EQ(code, 1);
  }

  // Claims everything due and marks it delivered, as the dispatcher does.
  void DeliverDue(absl::Time now) {
    absl::StatusOr<std::vector<ClaimedReminder>> claimed =
        queue_.ClaimDue(kOrg, now, absl::Seconds(30), 100);
    ASSERT_TRUE(claimed.ok()) << claimed.status();
    std::vector<ReminderWrite> writes;
    for (const ClaimedReminder& c : *claimed) {
      internal::StoredReminder d = c.record.data;
      d.set_delivered_ms(ToMillis(now));
      ReminderWrite w;
      w.op = ReminderWrite::Op::kUpdate;
      w.id = c.record.id;
      w.expected = c.bytes;
      w.value = EncodeRecord(v1::REMINDER_STATE_DELIVERED, d);
      w.score = d.due_ms();
      w.patient_id = d.patient_id();
      v1::Delivery delivery;
      delivery.set_reminder_id(c.record.id);
      delivery.set_patient_id(d.patient_id());
      // Delivered in due order, so the newest-first listing order is known.
      *delivery.mutable_delivered_time() = ToTimestamp(FromMillis(d.due_ms()) + absl::Seconds(20));
      w.delivery = delivery.SerializeAsString();
      w.delivered_ms = ToMillis(now);
      writes.push_back(std::move(w));
    }
    Write(std::move(writes));
  }

  int64_t Count(const std::vector<std::string>& command) {
    absl::StatusOr<common::RedisReply> r = redis_.Command(command);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->integer() : -1;
  }

  std::vector<std::string> PlanningIds() {
    absl::StatusOr<PlanningSnapshot> s = queue_.ReadForPlanning(kOrg, {kPatient}, {});
    EXPECT_TRUE(s.ok()) << s.status();
    std::vector<std::string> ids;
    for (const auto& [id, bytes] : s->records[kPatient]) ids.push_back(id);
    return ids;
  }
};

TEST_F(ReminderIndexesTest, PlanningReadsOnlyOpenRemindersListingAndErasureSeeAll) {
  const absl::Time now = absl::Now();
  std::vector<ReminderWrite> past;
  for (int i = 0; i < 5; ++i) past.push_back(Create(i, now - absl::Minutes(1)));
  Write(past);
  DeliverDue(now);
  const ReminderWrite open = Create(99, now + absl::Hours(24));
  Write({open});

  EXPECT_EQ(PlanningIds(), std::vector<std::string>{open.id});
  // That read moved the delivered ones out of the open index: the next reads less.
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:rem:p:p-1"}), 1);
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:rem:pf:p-1"}), 5);
  EXPECT_EQ(PlanningIds(), std::vector<std::string>{open.id});

  ReminderFilter by_patient;
  by_patient.patient_id = kPatient;
  absl::StatusOr<ReminderPage> listed = queue_.ListReminders(kOrg, by_patient, 100, std::nullopt);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->reminders.size(), 6u);

  ASSERT_TRUE(queue_.ErasePatient(kOrg, kPatient).ok());
  listed = queue_.ListReminders(kOrg, by_patient, 100, std::nullopt);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_TRUE(listed->reminders.empty());
  absl::StatusOr<common::RedisReply> left = redis_.Command({"HLEN", "df:{index-clinic}:rem"});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->integer(), 0);
}

TEST_F(ReminderIndexesTest, APatientsDeliveriesPageNewestFirstFromTheirReminderIndexes) {
  const absl::Time now = absl::Now();
  std::vector<ReminderWrite> due;
  for (int i = 0; i < 5; ++i)
    due.push_back(Create(i, now - absl::Seconds(10) + absl::Milliseconds(i)));
  Write(due);
  DeliverDue(now);
  RedisDeliveryStore deliveries(redis_);
  DeliveryFilter filter;
  filter.patient_id = kPatient;
  std::vector<std::string> seen;
  std::optional<ListCursor> after;
  int pages = 0;
  do {
    absl::StatusOr<DeliveryPage> page = deliveries.ListDeliveries(kOrg, filter, 2, after);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Delivery& d : page->deliveries) seen.push_back(d.reminder_id());
    after = page->next;
    ++pages;
  } while (after && pages < 10);
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  for (size_t i = 0; i + 1 < seen.size(); ++i) EXPECT_NE(seen[i], seen[i + 1]);
  EXPECT_EQ(seen.front(), due[4].id);  // delivered last (latest due), listed first
  filter.patient_id = "someone-else";
  absl::StatusOr<DeliveryPage> none = deliveries.ListDeliveries(kOrg, filter, 10, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->deliveries.empty());
}

TEST_F(ReminderIndexesTest, RetentionDeletesFinishedRemindersAndTheirMessagesByTheEngineClock) {
  common::FakeClock clock(absl::Now());
  const absl::Time t0 = clock.Now();
  std::vector<ReminderWrite> due;
  for (int i = 0; i < 3; ++i) due.push_back(Create(i, t0 - absl::Minutes(1)));
  Write(due);
  DeliverDue(t0);
  const ReminderWrite open = Create(99, t0 + absl::Hours(24 * 365));
  Write({open});
  ASSERT_TRUE(redis_.Command({"SADD", common::OrganizationsKey(), kOrg}).ok());

  RedisReminderRetention retention(redis_);
  RedisEventBacklog events(redis_);
  RetentionSweeper sweeper(retention, events, clock, {.retention = absl::Hours(24 * 90)});
  absl::StatusOr<int> swept = sweeper.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0);  // 90 days have not passed
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:dlv"}), 3);

  clock.Advance(absl::Hours(24 * 90) + absl::Minutes(2));
  swept = sweeper.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 3);
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:rem"}), 1);  // the open one stays
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:dlv"}), 0);
  EXPECT_EQ(Count({"ZCARD", "df:{index-clinic}:dlv:time"}), 0);
  EXPECT_EQ(Count({"ZCARD", "df:{index-clinic}:rem:done"}), 0);
  EXPECT_EQ(Count({"EXISTS", "df:{index-clinic}:rem:pf:p-1"}), 0);
  EXPECT_EQ(Count({"EXISTS", "df:{index-clinic}:dlv:patient:p-1"}), 0);
  EXPECT_EQ(PlanningIds(), std::vector<std::string>{open.id});
}

// An appointment's reminders end at different times (the aftercare message a
// day after, the maintenance reminder months later): retention deleting the
// first must not forget which snapshot of the appointment was applied, or a
// stale replayed event would plan the open ones again from old data. The
// guard has its own retention on the engine clock, so guards do not pile up.
TEST_F(ReminderIndexesTest, AppointmentGuardsOutliveSweptRemindersThenExpireByTheEngineClock) {
  common::FakeClock clock(absl::Now());
  const absl::Time t0 = clock.Now();
  WriteGroup group;
  group.atomic = false;
  group.appointment_id = "a-1";
  group.appointment_update_ms = ToMillis(t0);
  ReminderWrite aftercare = Create(1, t0 - absl::Minutes(1));
  ReminderWrite maintenance = Create(1, t0 + absl::Hours(24 * 180));
  maintenance.id = ReminderId(v1::REMINDER_KIND_MAINTENANCE, "a-1", "");
  group.writes = {aftercare, maintenance};
  ASSERT_TRUE(queue_.Write(kOrg, {group}).ok());
  DeliverDue(t0);
  ASSERT_TRUE(redis_.Command({"SADD", common::OrganizationsKey(), kOrg}).ok());

  RedisReminderRetention retention(redis_);
  RedisEventBacklog events(redis_);
  RetentionSweeper sweeper(
      retention, events, clock,
      {.retention = absl::Hours(24 * 7), .appointment_guard_retention = absl::Hours(24 * 90)});
  clock.Advance(absl::Hours(24 * 8));
  absl::StatusOr<int> swept = sweeper.SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);  // the delivered aftercare reminder
  EXPECT_EQ(PlanningIds(), std::vector<std::string>{maintenance.id});

  WriteGroup stale = group;  // the same appointment as it was an hour before
  stale.appointment_update_ms = ToMillis(t0 - absl::Hours(1));
  stale.writes = {Create(1, t0 + absl::Hours(24 * 200))};
  absl::StatusOr<std::vector<WriteResult>> replay = queue_.Write(kOrg, {stale});
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->front().group, WriteResult::Group::kStale);

  EXPECT_EQ(Count({"ZCARD", "df:{index-clinic}:rem:guards"}), 1);
  clock.Advance(absl::Hours(24 * 83));  // 91 days after the appointment's last event
  ASSERT_TRUE(sweeper.SweepOnce().ok());
  EXPECT_EQ(Count({"ZCARD", "df:{index-clinic}:rem:guards"}), 0);
}

// Reminders kept forever (--reminder_retention=0): the guards still go.
TEST_F(ReminderIndexesTest, GuardsAreTrimmedAlsoWhenRemindersAreKeptForever) {
  common::FakeClock clock(absl::Now());
  WriteGroup group;
  group.atomic = false;
  group.appointment_id = "a-2";
  group.appointment_update_ms = ToMillis(clock.Now());
  group.writes = {Create(2, clock.Now() + absl::Hours(1))};
  ASSERT_TRUE(queue_.Write(kOrg, {group}).ok());
  ASSERT_TRUE(redis_.Command({"SADD", common::OrganizationsKey(), kOrg}).ok());
  RedisReminderRetention retention(redis_);
  RedisEventBacklog events(redis_);
  RetentionSweeper sweeper(retention, events, clock, {.retention = absl::ZeroDuration()});
  clock.Advance(absl::Hours(24 * 91));
  ASSERT_TRUE(sweeper.SweepOnce().ok());
  EXPECT_EQ(Count({"ZCARD", "df:{index-clinic}:rem:guards"}), 0);
  EXPECT_EQ(Count({"HLEN", "df:{index-clinic}:rem"}), 1);  // the reminder stays
}

}  // namespace
}  // namespace dermaflow::notification
