// kill -9 of the notification process mid-dispatch with the suite on a real
// Redis Cluster, for tenants on every primary: the check-in reminders it had
// claimed when it died and the events published while it was down are all
// delivered after a restart, each exactly once, none dead-lettered.
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/cluster/tenant_placement.h"
#include "tests/e2e/support/flows.h"
#include "tests/support/redis_cluster.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr int kTenants = 3;  // one per primary
// Per tenant. Enough that the kill finds the dispatcher still sending the
// check-ins that fell due together: it sends one at a time
// (dispatch_workers 1, batch 1).
constexpr int kPatients = 60;
constexpr int kSessionsPerDay = 20;  // 10:00-20:00, every 30 minutes
constexpr nv1::ReminderKind kAftercare = nv1::REMINDER_KIND_AFTERCARE;
constexpr nv1::ReminderKind kCheckIn = nv1::REMINDER_KIND_AFTERCARE_CHECK_IN;

struct Tenant {
  PlacedTenant placed;
  std::unique_ptr<Stubs> api;
  Organization org;
  std::vector<sv1::Appointment> booked;
};

// Deliveries of `kind` to the organization's patients: appointment -> count.
std::map<std::string, int> DeliveredByAppointment(const Stubs& api, nv1::ReminderKind kind) {
  std::map<std::string, int> out;
  for (const auto& d : Deliveries(api, /*patient_id=*/"")) {
    if (d.kind() == kind) ++out[d.appointment_id()];
  }
  return out;
}

// Every tenant has `per_tenant` appointments with a delivery of `kind`.
bool AllDelivered(const std::vector<Tenant>& tenants, nv1::ReminderKind kind, size_t per_tenant) {
  for (const Tenant& t : tenants) {
    if (DeliveredByAppointment(*t.api, kind).size() < per_tenant) return false;
  }
  return true;
}

TEST(ClusterNotificationCrashTest, NothingIsLostAcrossKillNineMidDispatch) {
  testing::RedisCluster cluster;
  Suite suite({.time_travel = true,
               .redis_url = cluster.url(),
               .service_env = {{"DERMAFLOW_DISPATCH_WORKERS", "1"},
                               {"DERMAFLOW_DISPATCH_BATCH_SIZE", "1"}}});
  const std::vector<PlacedTenant> placed = TenantsOnEveryPrimary(cluster, kTenants, "crash");
  ASSERT_EQ(TenantsPerPrimary(placed).size(), 3u) << "tenants not on all 3 primaries";
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::CivilDay first_day = absl::ToCivilDay(suite.clock().Now(), berlin) + 1;
  const int days = (kPatients + kSessionsPerDay - 1) / kSessionsPerDay;

  // One single hydralift session per patient, every 30 minutes from 10:00.
  std::vector<Tenant> tenants(kTenants);
  for (int t = 0; t < kTenants; ++t) {
    Tenant& tenant = tenants[t];
    tenant.placed = placed[t];
    tenant.api = std::make_unique<Stubs>(suite);
    tenant.api->token = suite.MintToken(Suite::AllStaffRoles(), placed[t].organization);
    Stubs& api = *tenant.api;
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api, &tenant.org));
    for (int i = 0; i < kPatients; ++i) {
      pv1::Patient patient;
      ASSERT_RPC_OK(
          RegisterPatient(api, absl::StrCat("crash-patient-", i),
                          NewPatient("Test", absl::StrCat("Patient", i), i % 2 ? "en" : "de",
                                     absl::StrCat("p", i, "@example.org"), ""),
                          &patient));
      const absl::CivilMinute start = absl::CivilMinute(first_day + i / kSessionsPerDay) +
                                      10 * 60L + 30L * (i % kSessionsPerDay);
      sv1::Appointment appointment;
      ASSERT_RPC_OK(BookSession(api, tenant.org, absl::StrCat("crash-booking-", i), patient.id(),
                                tenant.org.hydralift, absl::FromCivil(start, berlin),
                                &appointment));
      tenant.booked.push_back(appointment);
    }
  }
  // After the last session (and past every appointment reminder).
  suite.clock().AdvanceTo(absl::FromCivil(absl::CivilMinute(first_day + days) + 9 * 60L, berlin));

  auto complete = [&](Stubs& api, const sv1::Appointment& a) {
    sv1::CompleteAppointmentRequest req;
    req.set_id(a.id());
    req.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_FACE);
    req.mutable_completion()->add_side_effects(sv1::SIDE_EFFECT_BRUISING);
    sv1::Appointment done;
    return api.Call([&](auto* c) { return api.scheduling->CompleteAppointment(c, req, &done); });
  };
  // Half the sessions with the dispatcher running: their aftercare goes out
  // as they complete, and 48 h later all their check-ins fall due at once.
  // The kill comes as soon as the first check-in is out, while the
  // dispatcher is still sending the rest.
  for (Tenant& t : tenants) {
    for (int i = 0; i < kPatients / 2; ++i) ASSERT_RPC_OK(complete(*t.api, t.booked[i]));
  }
  ASSERT_TRUE(
      WaitFor([&] { return AllDelivered(tenants, kAftercare, kPatients / 2); }, absl::Seconds(30)))
      << suite.Logs();
  suite.clock().Advance(absl::Hours(49));
  // Polled back to back (WaitFor's 100 ms would miss the whole batch).
  int seen_before_kill = 0;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (seen_before_kill == 0 && absl::Now() < give_up) {
    for (Tenant& t : tenants) {
      seen_before_kill += static_cast<int>(DeliveredByAppointment(*t.api, kCheckIn).size());
    }
  }
  ASSERT_GT(seen_before_kill, 0) << "no check-in delivered\n" << suite.Logs();
  suite.KillNotification();
  const int first_half = kTenants * kPatients / 2;
  std::cerr << "[cluster] killed with " << seen_before_kill << " of " << first_half
            << " check-ins of the first half seen delivered\n";
  EXPECT_LT(seen_before_kill, first_half) << "the kill did not land mid-dispatch";
  // The other half while it is down: the events wait in the tenants' streams.
  for (Tenant& t : tenants) {
    for (int i = kPatients / 2; i < kPatients; ++i) ASSERT_RPC_OK(complete(*t.api, t.booked[i]));
  }
  const absl::Time restarted = absl::Now();
  suite.StartNotification();
  for (Tenant& t : tenants) t.api->Reconnect();
  ASSERT_TRUE(
      WaitFor([&] { return AllDelivered(tenants, kAftercare, kPatients); }, absl::Seconds(60)))
      << suite.Logs();
  // The second half's check-ins, 48 h after their sessions.
  suite.clock().Advance(absl::Hours(49));
  ASSERT_TRUE(
      WaitFor([&] { return AllDelivered(tenants, kCheckIn, kPatients); }, absl::Seconds(60)))
      << suite.Logs();
  std::cerr << "[cluster] every aftercare and check-in delivered " << absl::Now() - restarted
            << " after the restart\n";
  int delivered = 0;
  for (Tenant& t : tenants) {
    SCOPED_TRACE(t.placed.organization);
    for (nv1::ReminderKind kind : {kAftercare, kCheckIn}) {
      const std::map<std::string, int> sent = DeliveredByAppointment(*t.api, kind);
      EXPECT_EQ(sent.size(), t.booked.size())
          << "another tenant's appointment: " << nv1::ReminderKind_Name(kind);
      for (const auto& a : t.booked) {
        EXPECT_EQ(sent.count(a.id()) ? sent.at(a.id()) : 0, 1)
            << nv1::ReminderKind_Name(kind) << " of appointment " << a.id();
        nv1::ListRemindersRequest filter;
        filter.set_appointment_id(a.id());
        filter.add_kinds(kind);
        auto reminders = Reminders(*t.api, filter);
        ASSERT_EQ(reminders.size(), 1u) << "appointment " << a.id();
        EXPECT_EQ(reminders[0].state(), nv1::REMINDER_STATE_DELIVERED);
        delivered += reminders[0].state() == nv1::REMINDER_STATE_DELIVERED;
      }
    }
    nv1::GetQueueStatsRequest stats_req;
    nv1::QueueStats stats;
    ASSERT_RPC_OK(t.api->Call(
        [&](auto* c) { return t.api->notifications->GetQueueStats(c, stats_req, &stats); }));
    EXPECT_EQ(stats.dead_letter(), 0) << stats.DebugString();
  }
  EXPECT_EQ(delivered, 2 * kTenants * kPatients);
  std::cerr << "[cluster] " << delivered << " of " << 2 * kTenants * kPatients
            << " aftercare and check-in reminders delivered exactly once\n";
  if (HasFailure()) std::cerr << suite.Logs();
}

}  // namespace
}  // namespace dermaflow::e2e
