#include "services/notification/domain/settings.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

v1::UpdateNotificationSettingsRequest Request(std::initializer_list<const char*> paths) {
  v1::UpdateNotificationSettingsRequest r;
  r.mutable_settings()->set_etag("0");
  for (const char* p : paths) r.mutable_update_mask()->add_paths(p);
  return r;
}

TEST(NotificationSettingsTest, Defaults) {
  const v1::NotificationSettings none;
  EXPECT_THAT(AppointmentLeads(none), ElementsAre(absl::Hours(24)));
  EXPECT_EQ(NextSessionDelay(none), absl::Hours(24));
  EXPECT_EQ(OrgQuietWindow(none), DefaultQuietWindow());
  EXPECT_FALSE(IsKindDisabled(none, v1::REMINDER_KIND_APPOINTMENT));
  EXPECT_EQ(LeadRuleCode(absl::Hours(24)), "lead_24h");
  EXPECT_EQ(LeadRuleCode(absl::Minutes(90)), "lead_90m");
}

TEST(NotificationSettingsTest, UpdatesOnlyTheMaskedFields) {
  v1::NotificationSettings current;
  current.add_disabled_kinds(v1::REMINDER_KIND_MAINTENANCE_NUDGE);
  auto request = Request({"appointment_reminder_leads"});
  *request.mutable_settings()->add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(24));
  *request.mutable_settings()->add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(72));
  absl::StatusOr<v1::NotificationSettings> merged = ApplySettingsUpdate(current, request);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_THAT(AppointmentLeads(*merged), ElementsAre(absl::Hours(72), absl::Hours(24)));
  EXPECT_EQ(merged->disabled_kinds_size(), 1);
}

TEST(NotificationSettingsTest, AListedButUnsetPathRestoresTheDefault) {
  v1::NotificationSettings current;
  *current.mutable_next_session_delay() = ToProtoDuration(absl::Hours(48));
  absl::StatusOr<v1::NotificationSettings> merged =
      ApplySettingsUpdate(current, Request({"next_session_delay"}));
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(NextSessionDelay(*merged), absl::Hours(24));
}

TEST(NotificationSettingsTest, BadValuesNameTheirFields) {
  auto request = Request({"*"});
  *request.mutable_settings()->add_appointment_reminder_leads() =
      ToProtoDuration(absl::Minutes(30));
  *request.mutable_settings()->mutable_next_session_delay() = ToProtoDuration(absl::Hours(24 * 8));
  request.mutable_settings()->mutable_default_quiet_hours()->mutable_start()->set_hours(25);
  request.mutable_settings()->add_disabled_kinds(v1::REMINDER_KIND_UNSPECIFIED);
  absl::Status s = ApplySettingsUpdate({}, request).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      common::ViolatedFields(s),
      UnorderedElementsAre("settings.appointment_reminder_leads[0]", "settings.next_session_delay",
                           "settings.default_quiet_hours", "settings.disabled_kinds[0]"));
}

TEST(NotificationSettingsTest, MaskAndEtagAreRequired) {
  v1::UpdateNotificationSettingsRequest request;
  request.mutable_settings();
  EXPECT_THAT(common::ViolatedFields(ApplySettingsUpdate({}, request).status()),
              UnorderedElementsAre("update_mask", "settings.etag"));
  EXPECT_THAT(common::ViolatedFields(ApplySettingsUpdate({}, Request({"etag"})).status()),
              ElementsAre("update_mask"));
}

}  // namespace
}  // namespace dermaflow::notification
