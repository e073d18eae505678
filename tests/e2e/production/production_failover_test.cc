// The deployed configuration (production_setup.h) on Redis Sentinel with
// durable writes (redis_backend.h), and the primary killed with SIGKILL
// while bookings stream in, every hop over mTLS and every call with an
// RS256 token. The services find the new primary by themselves, every
// booking they acknowledged is there afterwards, and the reminder engine
// goes on: a booking made after the crash gets its confirmation request by
// e-mail over STARTTLS.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/production/production_fixture.h"
#include "tests/support/http_get.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;
using Clock = std::chrono::steady_clock;

constexpr int kBookings = 12;
constexpr int kKillAfter = 5;  // acknowledged bookings before the crash

class ProductionFailoverTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure())
      std::cerr << suite_.Logs() << "\n----- smtp -----\n" << suite_.production()->smtp().ReadLog();
  }

  RedisBackend redis_{RedisBackendKind::kSentinel};
  Suite suite_{redis_.Configure({.production = true})};
  Stubs api_{suite_};
};

TEST_F(ProductionFailoverTest, BookingsResumeByThemselvesAndNothingAcknowledgedIsLost) {
  Organization org;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org));
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), berlin) + 1;

  // One patient per booking, so no course rule ties them together; reached
  // by e-mail at any hour.
  std::vector<pv1::Patient> patients(kBookings);
  for (int i = 0; i < kBookings; ++i) {
    pv1::Patient patient =
        GermanPatient("Liesel", pv1::CHANNEL_EMAIL, absl::StrCat("p", i, "@example.org"));
    patient.mutable_quiet_hours()->mutable_start()->set_hours(0);
    patient.mutable_quiet_hours()->mutable_end()->set_hours(0);
    ASSERT_RPC_OK(
        RegisterPatient(api_, absl::StrCat("prod-failover-patient-", i), patient, &patients[i]));
  }

  std::vector<sv1::Appointment> acknowledged;
  Clock::time_point killed_at, first_after_kill;
  for (int i = 0; i < kBookings; ++i) {
    if (i == kKillAfter) {
      redis_.sentinel()->KillPrimary();
      killed_at = Clock::now();
    }
    const int64_t minutes = int64_t{8} * 60 + int64_t{30} * i;  // 08:00, 08:30, ...
    const absl::Time start = absl::FromCivil(absl::CivilMinute(tomorrow) + minutes, berlin);
    sv1::Appointment appointment;
    const grpc::Status status = UntilNotUnavailable([&] {
      return BookSession(api_, org, absl::StrCat("prod-failover-booking-", i), patients[i].id(),
                         org.hydralift, start, &appointment);
    });
    ASSERT_TRUE(status.ok()) << "booking " << i << ": " << Describe(status);
    if (i == kKillAfter) first_after_kill = Clock::now();
    acknowledged.push_back(appointment);
  }
  const auto recovery =
      std::chrono::duration_cast<std::chrono::milliseconds>(first_after_kill - killed_at);
  std::printf("first booking acknowledged %lld ms after SIGKILL of the Redis primary (mTLS)\n",
              static_cast<long long>(recovery.count()));
  EXPECT_LT(recovery, std::chrono::seconds(30));

  // Every acknowledged booking reads back through the new primary, and was
  // confirmed by a replica before it was acknowledged.
  ExpectBookingsKept(api_, acknowledged);
  const std::string metrics = testing::HttpGet(suite_.scheduling().metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("dermaflow_redis_durable_writes_total{result=\"acknowledged\"}"),
            std::string::npos);
  EXPECT_EQ(metrics.find("dermaflow_redis_durable_writes_total{result=\"acknowledged\"} 0"),
            std::string::npos);

  // Notification followed the fail-over too: the last booking's
  // confirmation request reaches its patient over STARTTLS.
  const sv1::Appointment& last = acknowledged.back();
  std::vector<testing::ReceivedMail> mails;
  ASSERT_TRUE(WaitFor(
      [&] {
        mails = MailsFor(*suite_.production(),
                         ReminderIds(api_, last.id(), nv1::REMINDER_KIND_CONFIRMATION_REQUEST));
        return !mails.empty();
      },
      absl::Seconds(30)))
      << "no confirmation request e-mail for a booking made after the fail-over";
  EXPECT_TRUE(mails.front().tls) << "e-mail sent without STARTTLS";
  EXPECT_EQ(mails.front().rcpt_to,
            std::vector<std::string>{absl::StrCat("p", kBookings - 1, "@example.org")});
}

}  // namespace
}  // namespace dermaflow::e2e
