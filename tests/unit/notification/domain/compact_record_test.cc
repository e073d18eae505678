#include "services/notification/domain/compact_record.h"

#include "gtest/gtest.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {
namespace {

internal::StoredReminder Maintenance() {
  internal::StoredReminder d;
  d.set_patient_id("4f2c8a1e9b7d6c5a4f2c8a1e9b7d6c5a");
  d.set_kind(v1::REMINDER_KIND_MAINTENANCE);
  d.set_course_id("co_0123456789abcdef0123");
  d.set_protocol_id("8f14e45fceea167a5a36dedd4bea2543");
  d.set_protocol_version(3);
  d.set_clinic_id("cl_0123456789abcdef0123");
  d.set_original_due_ms(1'800'000'000'000);
  d.set_due_ms(1'800'000'000'000);
  d.set_create_ms(1'780'000'000'000);
  d.set_update_ms(1'780'000'000'000);
  d.set_maintenance_due_date(20270327);
  return d;
}

TEST(NotificationCompactRecordTest, InternsTheContextAndRoundTrips) {
  const std::string full = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, Maintenance());
  const CompactRecord compact = Compact(full);
  EXPECT_LT(compact.bytes.size() + 50, full.size());
  EXPECT_EQ(compact.context.protocol_id, "8f14e45fceea167a5a36dedd4bea2543");
  EXPECT_EQ(compact.context_key, ContextKey(compact.context));
  absl::StatusOr<std::string> expanded =
      Expand(compact.bytes, [&](uint64_t key) -> absl::StatusOr<RecordContext> {
        EXPECT_EQ(key, compact.context_key);
        return compact.context;
      });
  ASSERT_TRUE(expanded.ok());
  EXPECT_EQ(*expanded, full);
  EXPECT_EQ(Compact(*expanded).bytes, compact.bytes);  // compare-and-set works on both forms
}

TEST(NotificationCompactRecordTest, KeepsAShiftedDueTime) {
  internal::StoredReminder d = Maintenance();
  d.set_due_ms(d.original_due_ms() + 3'600'000);
  const std::string full = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, d);
  const CompactRecord compact = Compact(full);
  auto expanded = Expand(
      compact.bytes, [&](uint64_t) -> absl::StatusOr<RecordContext> { return compact.context; });
  ASSERT_TRUE(expanded.ok());
  EXPECT_EQ(DecodeRecord("x", *expanded)->data.due_ms(), d.due_ms());
}

TEST(NotificationCompactRecordTest, UnknownContextIsAnError) {
  const CompactRecord compact = Compact(EncodeRecord(v1::REMINDER_STATE_SCHEDULED, Maintenance()));
  EXPECT_FALSE(Expand(compact.bytes, [](uint64_t) -> absl::StatusOr<RecordContext> {
                 return absl::NotFoundError("no");
               }).ok());
}

TEST(NotificationCompactRecordTest, ContextsSerialize) {
  const RecordContext c{"p-1", 7, "cl_1"};
  EXPECT_EQ(RecordContext::Parse(c.Serialize()), c);
  EXPECT_FALSE(RecordContext::Parse("garbage").has_value());
  EXPECT_NE(ContextKey(c), ContextKey(RecordContext{"p-1", 8, "cl_1"}));
}

}  // namespace
}  // namespace dermaflow::notification
