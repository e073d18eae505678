#include "services/patient/domain/audit.h"

#include "common/time/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(PatientMakeAuditEntryTest, RecordsWhoWhatWhenAndWhichFields) {
  common::Caller caller{"clinic-a", "dr-weber", {"practitioner"}};
  v1::AuditEntry entry = MakeAuditEntry("p1", v1::AUDIT_ACTION_UPDATE_MEDICAL_PROFILE,
                                        {"medical_profile.pregnant"}, caller, kNow, "req-1");
  EXPECT_EQ(entry.patient_id(), "p1");
  EXPECT_EQ(entry.actor(), "dr-weber");
  EXPECT_EQ(entry.action(), v1::AUDIT_ACTION_UPDATE_MEDICAL_PROFILE);
  EXPECT_THAT(entry.field_paths(), ::testing::ElementsAre("medical_profile.pregnant"));
  EXPECT_EQ(common::ToTime(entry.time()), kNow);
  EXPECT_EQ(entry.request_id(), "req-1");
  EXPECT_TRUE(entry.id().empty());  // the store assigns it
}

TEST(PatientMatchesAuditFilterTest, ActionsAndHalfOpenTimeRange) {
  v1::AuditEntry entry;
  entry.set_action(v1::AUDIT_ACTION_EXPORT);
  *entry.mutable_time() = common::ToTimestamp(kNow);
  EXPECT_TRUE(MatchesAuditFilter(entry, {}));
  EXPECT_TRUE(
      MatchesAuditFilter(entry, {.actions = {v1::AUDIT_ACTION_ERASE, v1::AUDIT_ACTION_EXPORT}}));
  EXPECT_FALSE(MatchesAuditFilter(entry, {.actions = {v1::AUDIT_ACTION_ERASE}}));
  EXPECT_TRUE(MatchesAuditFilter(entry, {.start = kNow, .end = kNow + absl::Seconds(1)}));
  EXPECT_FALSE(MatchesAuditFilter(entry, {.start = kNow - absl::Seconds(1), .end = kNow}));
  EXPECT_FALSE(MatchesAuditFilter(entry, {.start = kNow + absl::Seconds(1)}));
}

}  // namespace
}  // namespace dermaflow::patient
