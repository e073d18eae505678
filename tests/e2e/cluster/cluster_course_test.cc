// The whole suite on a real Redis Cluster (3 primaries + 3 replicas): many
// organizations, placed so their hash slots land on every primary, each set
// up, booked into a hydralift course (3 weekly sessions), treated, and
// carried six months on to its maintenance reminder, all through the public
// API with a token of its own. Every tenant gets exactly its own reminders:
// aftercare and the 48 h aftercare check-in after every session, then
// maintenance; none of another tenant's. Its data is on the primary owning
// its slot.
#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/events/event_stream.h"
#include "common/time/proto_time.h"
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

// Issue 15 asks for 50 (about 2 s here). 1000 take about 25 s on a 2-core
// machine; 2000 took 45-57 s, too close to the ~60 s budget when the
// machine is shared.
constexpr int kTenants = 1000;
// Client threads: RPC latency, not the test, should be what waits.
constexpr int kClientThreads = 4;
constexpr int kSessions = 3;

struct Tenant {
  PlacedTenant placed;
  std::unique_ptr<Stubs> api;  // with a token naming this organization
  Organization org;
  pv1::Patient patient;
  sv1::Course course;
};

// Runs `step` for every tenant index on kClientThreads threads. gtest
// records failures from any thread; an ASSERT ends only that tenant's step.
void ForEachTenant(int count, const std::function<void(int)>& step) {
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  threads.reserve(kClientThreads);
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) step(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

// The organization's deliveries of `kind` (all its patients).
std::vector<nv1::Delivery> OfKind(const std::vector<nv1::Delivery>& deliveries,
                                  nv1::ReminderKind kind) {
  std::vector<nv1::Delivery> out;
  std::copy_if(deliveries.begin(), deliveries.end(), std::back_inserter(out),
               [&](const nv1::Delivery& d) { return d.kind() == kind; });
  return out;
}

class ClusterCourseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_)); }
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  // Every tenant's aftercare (and nothing else asked) for session `k` arrived.
  bool AftercareOfSessionArrived(int k) {
    for (Tenant& t : tenants_) {
      const std::string& appointment = t.course.appointments(k).id();
      bool found = false;
      for (const auto& d : OfKind(Deliveries(*t.api, t.patient.id()), nv1::REMINDER_KIND_AFTERCARE))
        found = found || d.appointment_id() == appointment;
      if (!found) return false;
    }
    return true;
  }

  testing::RedisCluster cluster_;
  Suite suite_{{.time_travel = true, .redis_url = cluster_.url()}};
  std::vector<Tenant> tenants_;
  absl::TimeZone berlin_;
};

TEST_F(ClusterCourseTest, BookingToAftercareToMaintenanceForTenantsOnEveryPrimary) {
  const absl::Time test_start = absl::Now();
  // --- Tenants on every primary -------------------------------------------------------
  const std::vector<PlacedTenant> placed = TenantsOnEveryPrimary(cluster_, kTenants, "chain");
  const std::map<int, int> spread = TenantsPerPrimary(placed);
  ASSERT_EQ(spread.size(), 3u) << "tenants not on all 3 primaries";
  std::string spread_text;
  for (const auto& [port, n] : spread) {
    EXPECT_GE(n, kTenants / 3) << "primary " << port;
    absl::StrAppend(&spread_text, " ", port, ":", n);
  }
  std::cerr << "[cluster] " << kTenants << " tenants per primary port:" << spread_text << "\n";
  tenants_.resize(kTenants);
  for (int i = 0; i < kTenants; ++i) {
    tenants_[i].placed = placed[i];
    tenants_[i].api = std::make_unique<Stubs>(suite_);
    tenants_[i].api->token =
        suite_.MintToken(Suite::AllStaffRoles(), placed[i].organization, "cluster-staff");
  }

  // --- Set up, register and plan: 3 weekly sessions at 10:00 Berlin time ---------------
  const absl::CivilDay first_day = absl::ToCivilDay(suite_.clock().Now(), berlin_) + 1;
  const absl::Time first_start = absl::FromCivil(absl::CivilMinute(first_day) + 10 * 60L, berlin_);
  ForEachTenant(kTenants, [&](int i) {
    Tenant& t = tenants_[i];
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(*t.api, &t.org)) << t.placed.organization;
    ASSERT_RPC_OK(
        RegisterPatient(*t.api, "cluster-patient",
                        NewPatient("Tenant", absl::StrCat("Patient", i), i % 2 ? "en" : "de",
                                   absl::StrCat("patient", i, "@example.org"), ""),
                        &t.patient));
    sv1::PlanCourseRequest plan;
    plan.set_request_id("cluster-course");
    plan.set_patient_id(t.patient.id());
    plan.set_protocol_id(t.org.hydralift);
    plan.set_clinic_id(t.org.berlin_clinic);
    plan.set_practitioner_id(t.org.practitioner);
    plan.add_areas(prv1::TREATMENT_AREA_FACE);
    *plan.mutable_first_start_time() = common::ToTimestamp(first_start);
    ASSERT_RPC_OK(
        t.api->Call([&](auto* c) { return t.api->scheduling->PlanCourse(c, plan, &t.course); }));
    ASSERT_EQ(t.course.appointments_size(), kSessions) << t.course.DebugString();
  });
  ASSERT_FALSE(HasFailure());
  std::cerr << "[cluster] set up and planned in " << absl::Now() - test_start << "\n";

  // Live deliveries (WatchNotifications) of one tenant on each primary: the
  // watch reads several tenants' streams at once, on different nodes.
  std::vector<std::pair<Tenant*, std::unique_ptr<DeliveryWatcher>>> watched;
  std::set<int> watched_primaries;
  for (Tenant& t : tenants_) {
    if (watched_primaries.insert(t.placed.primary_port).second) {
      watched.emplace_back(&t, std::make_unique<DeliveryWatcher>(*t.api, /*patient_id=*/""));
    }
  }

  // --- Each week: check in and complete every tenant's session -------------------------
  for (int k = 0; k < kSessions; ++k) {
    suite_.clock().AdvanceTo(common::ToTime(tenants_[0].course.appointments(k).start_time()) +
                             absl::Minutes(1));
    ForEachTenant(kTenants, [&](int i) {
      Tenant& t = tenants_[i];
      sv1::CheckInAppointmentRequest check_in;
      check_in.set_id(t.course.appointments(k).id());
      sv1::Appointment arrived;
      ASSERT_RPC_OK(t.api->Call(
          [&](auto* c) { return t.api->scheduling->CheckInAppointment(c, check_in, &arrived); }));
      sv1::CompleteAppointmentRequest complete;
      complete.set_id(t.course.appointments(k).id());
      complete.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_FACE);
      sv1::Appointment done;
      ASSERT_RPC_OK(t.api->Call(
          [&](auto* c) { return t.api->scheduling->CompleteAppointment(c, complete, &done); }));
      EXPECT_EQ(done.state(), sv1::APPOINTMENT_STATE_FULFILLED);
    });
    ASSERT_FALSE(HasFailure());
    ASSERT_TRUE(WaitFor([&] { return AftercareOfSessionArrived(k); }, absl::Seconds(30)))
        << "aftercare of session " << k + 1 << " missing for a tenant";
    std::cerr << "[cluster] session " << k + 1 << " done and aftercare delivered at "
              << absl::Now() - test_start << "\n";
  }

  // Each watcher saw its own tenant's aftercare of every session, live, and
  // nothing of another tenant's.
  for (auto& [t, watcher] : watched) {
    SCOPED_TRACE(t->placed.organization);
    EXPECT_TRUE(WaitFor(
        [&] {
          return OfKind(watcher->Received(), nv1::REMINDER_KIND_AFTERCARE).size() >= kSessions;
        },
        absl::Seconds(10)));
    for (const auto& d : watcher->Received()) {
      EXPECT_EQ(d.patient_id(), t->patient.id()) << "another tenant's live delivery";
    }
  }
  watched.clear();

  // --- Course completed: maintenance planned, then delivered six months on -------------
  absl::Time maintenance_due = absl::InfinitePast();
  for (Tenant& t : tenants_) {
    nv1::ListRemindersRequest filter;
    filter.set_course_id(t.course.id());
    filter.add_kinds(nv1::REMINDER_KIND_MAINTENANCE);
    std::vector<nv1::Reminder> maintenance;
    ASSERT_TRUE(WaitFor(
        [&] {
          maintenance = Reminders(*t.api, filter);
          return !maintenance.empty();
        },
        absl::Seconds(20)))
        << "no maintenance reminder for " << t.placed.organization;
    ASSERT_EQ(maintenance.size(), 1u) << t.placed.organization;
    maintenance_due = std::max(maintenance_due, common::ToTime(maintenance[0].original_due_time()));
  }
  suite_.clock().AdvanceTo(maintenance_due + absl::Minutes(1));
  ASSERT_TRUE(WaitFor(
      [&] {
        for (Tenant& t : tenants_) {
          if (OfKind(Deliveries(*t.api, ""), nv1::REMINDER_KIND_MAINTENANCE).empty()) return false;
        }
        return true;
      },
      absl::Seconds(30)))
      << "a tenant's maintenance reminder was not delivered";
  std::cerr << "[cluster] maintenance delivered to every tenant at " << absl::Now() - test_start
            << "\n";

  // --- Every tenant has exactly its own messages, and its data on its primary ----------
  for (int i = 0; i < kTenants; ++i) {
    Tenant& t = tenants_[i];
    SCOPED_TRACE(t.placed.organization);
    const std::vector<nv1::Delivery> all = Deliveries(*t.api, /*patient_id=*/"");
    std::set<std::string> appointments;
    for (const auto& a : t.course.appointments()) appointments.insert(a.id());
    for (const auto& d : all) {
      EXPECT_EQ(d.patient_id(), t.patient.id()) << "another tenant's delivery: " << d.reminder_id();
    }
    for (nv1::ReminderKind kind :
         {nv1::REMINDER_KIND_AFTERCARE, nv1::REMINDER_KIND_AFTERCARE_CHECK_IN}) {
      const std::vector<nv1::Delivery> of_kind = OfKind(all, kind);
      std::set<std::string> seen;
      for (const auto& d : of_kind) seen.insert(d.appointment_id());
      EXPECT_EQ(of_kind.size(), static_cast<size_t>(kSessions)) << nv1::ReminderKind_Name(kind);
      EXPECT_EQ(seen, appointments) << "one per session: " << nv1::ReminderKind_Name(kind);
    }
    EXPECT_EQ(OfKind(all, nv1::REMINDER_KIND_MAINTENANCE).size(), 1u);
    nv1::ListRemindersRequest everything;
    for (const auto& r : Reminders(*t.api, everything)) {
      EXPECT_EQ(r.patient_id(), t.patient.id()) << "another tenant's reminder: " << r.id();
    }
    // A neighbour's patient is invisible to this tenant.
    const Tenant& neighbour = tenants_[(i + 1) % kTenants];
    EXPECT_TRUE(Deliveries(*t.api, neighbour.patient.id()).empty());
    // The tenant's event stream is on the primary owning its slot (asked
    // without redirection: another node would answer MOVED).
    const common::RedisReply exists = cluster_.NodeCommand(
        t.placed.primary_port, {"EXISTS", common::StreamKey(t.placed.organization).value()});
    EXPECT_EQ(exists.integer(), 1) << exists.str();
  }
  // Every primary holds a share of the data, not only of the slots.
  std::string keys_text;
  for (int port : cluster_.PrimaryPorts()) {
    const int64_t keys = cluster_.NodeCommand(port, {"DBSIZE"}).integer();
    EXPECT_GT(keys, 0) << "primary " << port;
    absl::StrAppend(&keys_text, " ", port, ":", keys);
  }
  std::cerr << "[cluster] keys per primary port:" << keys_text << "\n";
  // Nothing any service sent was refused by the cluster client.
  for (testing::ServiceProcess* service :
       {&suite_.patient(), &suite_.protocol(), &suite_.scheduling(), &suite_.notification()}) {
    const std::string log = service->process().ReadLog();
    EXPECT_TRUE(absl::StrContains(log, "\"serving\"")) << "not the service's log";
    for (const char* refusal : {"are in different hash slots", "no cluster routing rule"}) {
      EXPECT_FALSE(absl::StrContains(log, refusal)) << service->process().log_path();
    }
  }
  std::cerr << "[cluster] whole test " << absl::Now() - test_start << "\n";
}

}  // namespace
}  // namespace dermaflow::e2e
