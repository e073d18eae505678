// The suite on Redis Sentinel with durable writes on (as a chain that needs
// fail-over deploys it: redis+sentinel://, two replicas,
// --redis_durable_replicas=1): the primary is killed with SIGKILL while
// bookings stream in. The services find the new primary by themselves, and
// every booking, erasure and consent change they acknowledged is still there
// afterwards. And a booking no replica confirms is never acknowledged, not
// even to a retry that finds it booked.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_sentinel.h"

namespace dermaflow::e2e {
namespace {

namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;
using Clock = std::chrono::steady_clock;

constexpr int kBookings = 40;
constexpr int kKillAfter = 15;  // acknowledged bookings before the crash

TEST(RedisFailoverTest, NothingAcknowledgedIsLostWhenThePrimaryDies) {
  testing::RedisSentinelSetup redis(/*replicas=*/2);
  Suite suite(
      {.redis_url = redis.url(), .service_env = {{"DERMAFLOW_REDIS_DURABLE_REPLICAS", "1"}}});
  Stubs api(suite);
  Organization org;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api, &org));
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::CivilDay first_day = absl::ToCivilDay(absl::Now(), berlin) + 1;

  // One patient per booking, so no course rule ties them together.
  std::vector<pv1::Patient> patients(kBookings + 1);
  for (int i = 0; i <= kBookings; ++i) {
    ASSERT_RPC_OK(RegisterPatient(api, absl::StrCat("failover-patient-", i),
                                  NewPatient("Test", absl::StrCat("Patient", i), "de",
                                             absl::StrCat("p", i, "@example.org"), ""),
                                  &patients[i]));
  }
  // Acknowledged before the crash: an erasure and a consent change.
  pv1::DeletePatientRequest erase;
  erase.set_id(patients[kBookings].id());
  erase.set_etag(patients[kBookings].etag());
  erase.set_reason("patient asked to be forgotten");
  google::protobuf::Empty empty;
  ASSERT_RPC_OK(api.Call([&](auto* c) { return api.patients->DeletePatient(c, erase, &empty); }));
  pv1::SetConsentRequest withdraw;
  withdraw.set_patient_id(patients[0].id());
  withdraw.set_channel(pv1::CHANNEL_SMS);
  withdraw.set_state(pv1::CONSENT_STATE_WITHDRAWN);
  withdraw.set_reason("no more SMS, please");
  pv1::Patient withdrawn;
  ASSERT_RPC_OK(
      api.Call([&](auto* c) { return api.patients->SetConsent(c, withdraw, &withdrawn); }));

  std::vector<sv1::Appointment> acknowledged;
  Clock::time_point killed_at, first_after_kill;
  for (int i = 0; i < kBookings; ++i) {
    if (i == kKillAfter) {
      redis.KillPrimary();
      killed_at = Clock::now();
    }
    const absl::Time start =
        absl::FromCivil(absl::CivilMinute(first_day + i / 16) + 8 * 60 + 30 * (i % 16), berlin);
    sv1::Appointment appointment;
    const grpc::Status status = UntilNotUnavailable([&] {
      return BookSession(api, org, absl::StrCat("failover-booking-", i), patients[i].id(),
                         org.hydralift, start, &appointment);
    });
    ASSERT_TRUE(status.ok()) << "booking " << i << ": " << Describe(status) << "\n" << suite.Logs();
    if (i == kKillAfter) first_after_kill = Clock::now();
    acknowledged.push_back(appointment);
  }
  const auto recovery =
      std::chrono::duration_cast<std::chrono::milliseconds>(first_after_kill - killed_at);
  std::printf("first booking acknowledged %lld ms after SIGKILL of the Redis primary\n",
              static_cast<long long>(recovery.count()));
  EXPECT_LT(recovery, std::chrono::seconds(30));
  // Every booking was acknowledged by a replica (before the kill: either;
  // after it: the one left, now replicating from the promoted one).
  const std::string metrics = testing::HttpGet(suite.scheduling().metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("dermaflow_redis_durable_writes_total{result=\"acknowledged\"}"),
            std::string::npos);
  EXPECT_EQ(metrics.find("dermaflow_redis_durable_writes_total{result=\"acknowledged\"} 0"),
            std::string::npos);

  // Read back through the new primary: every acknowledged booking is there,
  // the erased patient stays erased, the withdrawn consent stays withdrawn.
  ExpectBookingsKept(api, acknowledged);
  pv1::GetPatientRequest get_erased;
  get_erased.set_id(patients[kBookings].id());
  pv1::Patient erased;
  const grpc::Status status =
      api.Call([&](auto* c) { return api.patients->GetPatient(c, get_erased, &erased); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  pv1::GetPatientRequest get_withdrawn;
  get_withdrawn.set_id(patients[0].id());
  pv1::Patient after;
  ASSERT_RPC_OK(
      api.Call([&](auto* c) { return api.patients->GetPatient(c, get_withdrawn, &after); }));
  bool sms_withdrawn = false;
  for (const pv1::ChannelConsent& c : after.consents()) {
    if (c.channel() == pv1::CHANNEL_SMS) sms_withdrawn = c.state() == pv1::CONSENT_STATE_WITHDRAWN;
  }
  EXPECT_TRUE(sms_withdrawn) << after.DebugString();
}

TEST(RedisFailoverTest, ABookingNoReplicaConfirmsIsNeverAcknowledged) {
  testing::RedisSentinelSetup redis(/*replicas=*/1);
  Suite suite({.redis_url = "redis://127.0.0.1:" + std::to_string(redis.primary_port()) + "/0",
               .service_env = {{"DERMAFLOW_REDIS_DURABLE_REPLICAS", "1"},
                               {"DERMAFLOW_REDIS_DURABLE_TIMEOUT", "300ms"}}});
  Stubs api(suite);
  Organization org;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api, &org));
  pv1::Patient patient;
  ASSERT_RPC_OK(RegisterPatient(api, "unconfirmed-patient",
                                NewPatient("Test", "Unconfirmed", "de", "u@example.org", ""),
                                &patient));
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::Time start = absl::FromCivil(
      absl::CivilMinute(absl::ToCivilDay(absl::Now(), berlin) + 2) + 10 * 60, berlin);

  redis.replica(0).Signal(SIGSTOP);  // alive but silent, as behind a partition
  sv1::Appointment appointment;
  const grpc::Status first = BookSession(api, org, "unconfirmed-booking", patient.id(),
                                         org.hydralift, start, &appointment);
  // The retry finds the booking the first attempt made, and still may not
  // answer for it before a replica has it.
  const grpc::Status retry = BookSession(api, org, "unconfirmed-booking", patient.id(),
                                         org.hydralift, start, &appointment);
  redis.replica(0).Signal(SIGCONT);
  EXPECT_EQ(first.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(first);
  EXPECT_EQ(retry.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(retry);

  const grpc::Status later = UntilNotUnavailable([&] {
    return BookSession(api, org, "unconfirmed-booking", patient.id(), org.hydralift, start,
                       &appointment);
  });
  ASSERT_TRUE(later.ok()) << Describe(later);
  EXPECT_EQ(appointment.start_time().seconds(), absl::ToUnixSeconds(start));
}

}  // namespace
}  // namespace dermaflow::e2e
