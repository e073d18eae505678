#include "services/patient/domain/consent.h"

#include "common/time/proto_time.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(PatientApplyConsentTest, RecordsAChangeWithWhoAndWhen) {
  v1::Patient patient;
  std::optional<v1::ChannelConsent> record =
      ApplyConsent(patient, v1::CHANNEL_EMAIL, v1::CONSENT_STATE_GIVEN, "app", kNow, "user-1");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->changed_by(), "user-1");
  EXPECT_EQ(common::ToTime(record->change_time()), kNow);
  ASSERT_EQ(patient.consents_size(), 1);
  EXPECT_EQ(patient.consents(0).state(), v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(patient.consents(0).reason(), "app");
}

TEST(PatientApplyConsentTest, SameStateChangesNothing) {
  v1::Patient patient;
  ApplyConsent(patient, v1::CHANNEL_SMS, v1::CONSENT_STATE_GIVEN, "form", kNow, "u1");
  const v1::Patient before = patient;
  EXPECT_FALSE(
      ApplyConsent(patient, v1::CHANNEL_SMS, v1::CONSENT_STATE_GIVEN, "again", kNow, "u2"));
  EXPECT_EQ(patient.SerializeAsString(), before.SerializeAsString());
}

TEST(PatientApplyConsentTest, WithdrawalReplacesTheChannelsEntryOnly) {
  v1::Patient patient;
  ApplyConsent(patient, v1::CHANNEL_SMS, v1::CONSENT_STATE_GIVEN, "form", kNow, "u1");
  ApplyConsent(patient, v1::CHANNEL_EMAIL, v1::CONSENT_STATE_GIVEN, "form", kNow, "u1");
  ASSERT_TRUE(ApplyConsent(patient, v1::CHANNEL_SMS, v1::CONSENT_STATE_WITHDRAWN, "",
                           kNow + absl::Hours(1), "u2"));
  ASSERT_EQ(patient.consents_size(), 2);
  EXPECT_EQ(patient.consents(0).channel(), v1::CHANNEL_SMS);
  EXPECT_EQ(patient.consents(0).state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(patient.consents(0).reason(), "");
  EXPECT_EQ(patient.consents(0).changed_by(), "u2");
  EXPECT_EQ(patient.consents(1).state(), v1::CONSENT_STATE_GIVEN);
}

TEST(PatientStampInitialConsentsTest, StampsAndReturnsHistory) {
  v1::Patient patient;
  patient.add_consents()->set_channel(v1::CHANNEL_IN_APP);
  std::vector<v1::ChannelConsent> history = StampInitialConsents(patient, kNow, "reception-1");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].changed_by(), "reception-1");
  EXPECT_EQ(patient.consents(0).changed_by(), "reception-1");
  EXPECT_EQ(common::ToTime(patient.consents(0).change_time()), kNow);
}

}  // namespace
}  // namespace dermaflow::patient
