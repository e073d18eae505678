// dermactl's option parsing and formatting, without services (label unit):
// enum labels both ways, local start times in a clinic's zone, weekly hours,
// durations, and UTF-8 aware table alignment.
#include <sstream>

#include "absl/time/civil_time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "gtest/gtest.h"
#include "tools/dermactl/cli.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

TEST(DermactlParseTest, EnumLabelsRoundTrip) {
  EXPECT_EQ(Label(nv1::REMINDER_KIND_AFTERCARE_CHECK_IN), "aftercare_check_in");
  EXPECT_EQ(Label(pv1::CHANNEL_IN_APP), "in_app");
  EXPECT_EQ(*ParseEnum<pv1::Channel>("in-app", "channel"), pv1::CHANNEL_IN_APP);
  EXPECT_EQ(*ParseEnum<pv1::Channel>("CHANNEL_EMAIL", "channel"), pv1::CHANNEL_EMAIL);
  auto effects = ParseEnumList<sv1::SideEffect>("bruising, redness", "side_effects");
  ASSERT_TRUE(effects.ok());
  EXPECT_EQ(*effects,
            (std::vector<sv1::SideEffect>{sv1::SIDE_EFFECT_BRUISING, sv1::SIDE_EFFECT_REDNESS}));

  absl::Status bad = ParseEnum<sv1::SideEffect>("purple", "side_effects").status();
  EXPECT_TRUE(IsUsageError(bad));
  EXPECT_NE(bad.message().find("--side-effects='purple'"), absl::string_view::npos) << bad;
  EXPECT_NE(bad.message().find("bruising"), absl::string_view::npos) << bad;
  EXPECT_FALSE(ParseEnum<sv1::SideEffect>("unspecified", "side_effects").ok());
}

TEST(DermactlParseTest, StartTimesAreLocalToTheClinic) {
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  // Summer and winter time: 10:00 local is 08:00 and 09:00 UTC.
  EXPECT_EQ(*ParseStart("2026-07-01 10:00", berlin, "start"),
            absl::FromCivil(absl::CivilMinute(2026, 7, 1, 8, 0), absl::UTCTimeZone()));
  EXPECT_EQ(*ParseStart("2026-11-24T10:00", berlin, "start"),
            absl::FromCivil(absl::CivilMinute(2026, 11, 24, 9, 0), absl::UTCTimeZone()));
  EXPECT_EQ(*ParseStart("2026-11-24T09:00:00Z", berlin, "start"),
            absl::FromCivil(absl::CivilMinute(2026, 11, 24, 9, 0), absl::UTCTimeZone()));
  absl::Time soon = *ParseStart("now+2m", berlin, "start");
  EXPECT_EQ(absl::ToUnixSeconds(soon) % 60, 0) << "bookings take whole minutes";
  EXPECT_GE(soon, absl::Now() + absl::Minutes(2));
  EXPECT_LE(soon, absl::Now() + absl::Minutes(3));
  EXPECT_TRUE(IsUsageError(ParseStart("tomorrow", berlin, "start").status()));
}

TEST(DermactlParseTest, WeeklyHours) {
  auto hours = ParseHours("mon-fri 09:00-19:00; sat 10:00-14:00", "hours");
  ASSERT_TRUE(hours.ok()) << hours.status();
  ASSERT_EQ(hours->size(), 6u);
  EXPECT_EQ((*hours)[0].day, google::type::MONDAY);
  EXPECT_EQ((*hours)[5].day, google::type::SATURDAY);
  EXPECT_EQ((*hours)[5].close.hours(), 14);
  auto daily = ParseHours("daily 00:00-24:00", "hours");
  ASSERT_TRUE(daily.ok());
  EXPECT_EQ(daily->size(), 7u);
  EXPECT_EQ(daily->back().close.hours(), 24);
  auto at = ParseHours("@cl_1 mon+wed 08:00-12:00", "hours");
  ASSERT_TRUE(at.ok());
  ASSERT_EQ(at->size(), 2u);
  EXPECT_EQ((*at)[1].clinic_id, "cl_1");
  EXPECT_EQ((*at)[1].day, google::type::WEDNESDAY);
  EXPECT_FALSE(ParseHours("fri-mon 09:00-10:00", "hours").ok());
  EXPECT_FALSE(ParseHours("mon 9-10", "hours").ok());
}

TEST(DermactlParseTest, Durations) {
  EXPECT_EQ(*ParseDuration("7d", "d"), absl::Hours(24 * 7));
  EXPECT_EQ(*ParseDuration("90m", "d"), absl::Minutes(90));
  EXPECT_FALSE(ParseDuration("soon", "d").ok());
  google::protobuf::Duration d;
  d.set_seconds(int64_t{7} * 86400);
  EXPECT_EQ(FormatDuration(d), "7d");
  d.set_seconds(5400);
  EXPECT_EQ(FormatDuration(d), "1h30m");
  d.set_seconds(int64_t{48} * 3600);
  EXPECT_EQ(FormatDuration(d), "2d");
}

TEST(DermactlParseTest, RequestIdsAreUuidV4) {
  std::string a = NewRequestId(), b = NewRequestId();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
}

TEST(DermactlTableTest, AlignsUtf8) {
  Table t({"NAME", "BORN"});
  t.Row({"Müller", "1988"});
  t.Row({"Miller", "1990"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "NAME    BORN\nMüller  1988\nMiller  1990\n");
  std::ostringstream empty;
  Table({"X"}).Print(empty, "no patients");
  EXPECT_EQ(empty.str(), "no patients\n");
}

}  // namespace
}  // namespace dermaflow::dermactl
