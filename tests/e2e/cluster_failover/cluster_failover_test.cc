// The suite on a real Redis Cluster with durable writes on
// (redis+cluster://, --redis_durable_replicas=1), as a chain that needs
// fail-over deploys it:
// - a primary holding several tenants is killed with SIGKILL while bookings
//   stream in: the cluster promotes a replica, the services follow the new
//   slot map by themselves, and every booking and erasure they acknowledged
//   is still there;
// - a tenant's slot is resharded to another primary (and back) while its
//   bookings stream in: no booking answers anything but OK.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/redis/hash_slot.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_cluster.h"

namespace dermaflow::e2e {
namespace {

namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;
using Clock = std::chrono::steady_clock;

const std::map<std::string, std::string> kDurable = {{"DERMAFLOW_REDIS_DURABLE_REPLICAS", "1"}};

// Organizations (tenant names) whose hash slot `port` serves, as the
// cluster itself says.
std::vector<std::string> TenantsOn(testing::RedisCluster& cluster, int port, int count,
                                   const std::string& prefix) {
  std::vector<std::string> tenants;
  for (int i = 0; static_cast<int>(tenants.size()) < count && i < 1000; ++i) {
    const std::string org = absl::StrCat(prefix, i);
    if (cluster.PortOwning(common::KeyHashSlot(org)) == port) tenants.push_back(org);
  }
  return tenants;
}

// The value of one series on a /metrics page (0 if it is not there).
double MetricValue(const std::string& page, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(page, '\n')) {
    if (!absl::StartsWith(line, series + " ")) continue;
    double value = 0;
    if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
  }
  return 0;
}

int64_t Ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// One tenant of the test: its own token, clinic and patients.
struct Tenant {
  std::string name;
  std::unique_ptr<Stubs> api;
  Organization org;
  std::vector<pv1::Patient> patients;
};

void SetUpTenant(Suite& suite, const std::string& name, int patients, Tenant* tenant) {
  tenant->name = name;
  tenant->api = std::make_unique<Stubs>(suite);
  tenant->api->token = suite.MintToken(Suite::AllStaffRoles(), name);
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(*tenant->api, &tenant->org));
  tenant->patients.resize(patients);
  for (int i = 0; i < patients; ++i) {
    ASSERT_RPC_OK(RegisterPatient(*tenant->api, absl::StrCat(name, "-patient-", i),
                                  NewPatient("Test", absl::StrCat("Patient", i), "de",
                                             absl::StrCat("p", i, "@example.org"), ""),
                                  &tenant->patients[i]));
  }
}

// The n-th bookable half hour from tomorrow on (16 a day, 08:00-16:00).
absl::Time NthSlot(int n) {
  absl::TimeZone berlin;
  absl::LoadTimeZone("Europe/Berlin", &berlin);
  const absl::CivilDay first_day = absl::ToCivilDay(absl::Now(), berlin) + 1;
  constexpr int64_t kOpening = int64_t{8} * 60;  // 08:00
  const int64_t minutes = kOpening + 30 * static_cast<int64_t>(n % 16);
  return absl::FromCivil(absl::CivilMinute(first_day + n / 16) + minutes, berlin);
}

TEST(RedisClusterFailoverTest, NothingAcknowledgedIsLostWhenAPrimaryDies) {
  constexpr int kTenants = 3;
  constexpr int kBookingsPerTenant = 12;
  constexpr int kKillAfter = 5;  // rounds (one booking per tenant) before the crash
  // Two replicas per primary: after the fail-over the promoted one still
  // has one to WAIT for. 2 s node timeout: fail-over in about 3 s.
  testing::RedisCluster cluster({.node_timeout_ms = 2000, .replicas_per_primary = 2});
  const int victim = cluster.PrimaryPorts()[1];
  const std::vector<std::string> names = TenantsOn(cluster, victim, kTenants, "cluster-kill-");
  ASSERT_EQ(names.size(), kTenants);
  Suite suite({.redis_url = cluster.url(), .service_env = kDurable});

  // One patient per booking, plus one each to erase before the crash.
  std::vector<Tenant> tenants(kTenants);
  for (int t = 0; t < kTenants; ++t) {
    ASSERT_NO_FATAL_FAILURE(SetUpTenant(suite, names[t], kBookingsPerTenant + 1, &tenants[t]));
    const Stubs& api = *tenants[t].api;
    const pv1::Patient& leaving = tenants[t].patients.back();
    pv1::DeletePatientRequest erase;
    erase.set_id(leaving.id());
    erase.set_etag(leaving.etag());
    erase.set_reason("patient asked to be forgotten");
    google::protobuf::Empty empty;
    ASSERT_RPC_OK(api.Call([&](auto* c) { return api.patients->DeletePatient(c, erase, &empty); }));
  }

  std::vector<std::vector<sv1::Appointment>> acknowledged(kTenants);
  Clock::time_point killed_at, first_after_kill;
  for (int round = 0; round < kBookingsPerTenant; ++round) {
    if (round == kKillAfter) {
      cluster.KillNode(victim);
      killed_at = Clock::now();
    }
    for (int t = 0; t < kTenants; ++t) {
      Tenant& tenant = tenants[t];
      sv1::Appointment appointment;
      const grpc::Status status = UntilNotUnavailable([&] {
        return BookSession(*tenant.api, tenant.org, absl::StrCat("cluster-booking-", round),
                           tenant.patients[round].id(), tenant.org.hydralift, NthSlot(round),
                           &appointment);
      });
      ASSERT_TRUE(status.ok()) << tenant.name << " booking " << round << ": " << Describe(status)
                               << "\n"
                               << suite.Logs();
      if (round == kKillAfter && t == 0) first_after_kill = Clock::now();
      acknowledged[t].push_back(appointment);
    }
  }
  const auto recovery =
      std::chrono::duration_cast<std::chrono::milliseconds>(first_after_kill - killed_at);
  std::printf(
      "first booking acknowledged %lld ms after SIGKILL of the primary on port %d "
      "(cluster-node-timeout 2000 ms)\n",
      static_cast<long long>(recovery.count()), victim);
  EXPECT_LT(recovery, std::chrono::seconds(15));
  const int new_owner = cluster.PortOwning(common::KeyHashSlot(names[0]));
  EXPECT_NE(new_owner, victim);

  // The services learnt the new owner from the cluster (a reload of the
  // slot map after the old primary stopped answering, or MOVED).
  const std::string metrics = testing::HttpGet(suite.scheduling().metrics_port(), "/metrics");
  const double refreshes =
      MetricValue(metrics, "dermaflow_redis_cluster_map_refreshes_total{result=\"OK\"}");
  std::printf("scheduling: %g slot map reloads, %g MOVED\n", refreshes,
              MetricValue(metrics, "dermaflow_redis_cluster_redirections_total{kind=\"moved\"}"));
  EXPECT_GE(refreshes, 2) << metrics;  // the first map and one after the fail-over
  EXPECT_GT(MetricValue(metrics, "dermaflow_redis_durable_writes_total{result=\"acknowledged\"}"),
            0)
      << metrics;

  // Read back through the promoted primary.
  for (int t = 0; t < kTenants; ++t) {
    SCOPED_TRACE(tenants[t].name);
    ExpectBookingsKept(*tenants[t].api, acknowledged[t]);
    const Stubs& api = *tenants[t].api;
    pv1::GetPatientRequest get_erased;
    get_erased.set_id(tenants[t].patients.back().id());
    pv1::Patient erased;
    const grpc::Status status =
        api.Call([&](auto* c) { return api.patients->GetPatient(c, get_erased, &erased); });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  }
}

TEST(RedisClusterFailoverTest, ReshardingATenantsSlotMidLoadReachesNoClient) {
  constexpr int kPatients = 300;
  // Bookings go on until the moves are done (a patient books again in
  // another slot), so some booking is always under way during them.
  constexpr int kMaxBookings = 4000;
  constexpr int kBookers = 3;
  testing::RedisCluster cluster;
  Suite suite({.redis_url = cluster.url(), .service_env = kDurable});
  Tenant tenant;
  ASSERT_NO_FATAL_FAILURE(SetUpTenant(suite, "cluster-reshard", kPatients, &tenant));
  const int slot = common::KeyHashSlot(tenant.name);
  const int home = cluster.PortOwning(slot);
  int away = 0;
  for (int port : cluster.PrimaryPorts()) {
    if (port != home) away = port;
  }

  // Bookings on a few threads, each tried once: any non-OK answer is one
  // that reached the client.
  const Clock::time_point t0 = Clock::now();
  std::atomic<int> next{0}, started{0}, done{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<sv1::Appointment> acknowledged;
  std::vector<std::string> failures;
  std::vector<std::pair<Clock::time_point, Clock::time_point>> spans;  // of every booking
  std::vector<std::thread> bookers;
  bookers.reserve(kBookers);
  for (int b = 0; b < kBookers; ++b) {
    bookers.emplace_back([&] {
      for (int i = next++; i < kMaxBookings && !stop; i = next++) {
        ++started;
        const Clock::time_point began = Clock::now();
        sv1::Appointment appointment;
        const grpc::Status status = BookSession(
            *tenant.api, tenant.org, absl::StrCat("reshard-booking-", i),
            tenant.patients[i % kPatients].id(), tenant.org.hydralift, NthSlot(i), &appointment);
        std::lock_guard<std::mutex> lock(mu);
        spans.emplace_back(began, Clock::now());
        if (status.ok()) {
          acknowledged.push_back(appointment);
        } else {
          failures.push_back(absl::StrCat("booking ", i, " (", Ms(began - t0), "-",
                                          Ms(Clock::now() - t0), " ms): ", Describe(status)));
        }
        ++done;
      }
    });
  }
  // Joined on every way out, an exception from the cluster's tools included.
  struct Joiner {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } joiner{stop, bookers};
  const auto finished = [&](int n) {
    return WaitFor([&] { return done >= n; }, absl::Seconds(30));
  };
  // As `redis-cli --cluster reshard --cluster-pipeline 1` moves a slot (one
  // key per MIGRATE, so the slot migrates for a few hundred ms, as a bigger
  // tenant's would with the default 10; meanwhile a script creating a key
  // gets TRYAGAIN), there and back, with bookings under way all the time.
  constexpr size_t kPipeline = 1;
  ASSERT_TRUE(finished(10));
  size_t moved_keys = 0;
  std::chrono::milliseconds moving{0};
  std::vector<std::pair<Clock::time_point, Clock::time_point>> moves;
  for (int to : {away, home}) try {
      const Clock::time_point move_start = Clock::now();
      cluster.BeginMigration(slot, to);
      const common::RedisReply keys = cluster.NodeCommand(
          cluster.PortOwning(slot), {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "10000"});
      std::vector<std::string> batch;
      for (const common::RedisReply& key : keys.elements()) {
        batch.push_back(key.str());
        if (batch.size() == kPipeline) {
          cluster.MigrateKeys(slot, batch);
          batch.clear();
        }
      }
      if (!batch.empty()) cluster.MigrateKeys(slot, batch);
      cluster.FinishMigration(slot);
      std::printf("move to %d: %lld-%lld ms\n", to, static_cast<long long>(Ms(move_start - t0)),
                  static_cast<long long>(Ms(Clock::now() - t0)));
      moves.emplace_back(move_start, Clock::now());
      moving += std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - move_start);
      moved_keys += keys.elements().size();
      EXPECT_EQ(cluster.PortOwning(slot), to);
    } catch (const std::exception& e) {
      FAIL() << "moving slot " << slot << " to " << to << ": " << e.what();
    }
  EXPECT_TRUE(finished(done + 3));  // bookings go on after the moves
  // Bookings were under way during each move, not only before and after.
  std::vector<int> overlapping(moves.size());
  for (size_t m = 0; m < moves.size(); ++m) {
    for (const auto& [began, ended] : spans) {
      if (began < moves[m].second && ended > moves[m].first) ++overlapping[m];
    }
    EXPECT_GE(overlapping[m], 1) << "move " << m;
  }
  stop = true;
  for (std::thread& t : bookers) t.join();

  std::printf(
      "%zu bookings acknowledged, %zu failed, while slot %d moved %d -> %d -> %d "
      "(%zu keys, %lld ms; %d and %d bookings under way during the moves)\n",
      acknowledged.size(), failures.size(), slot, home, away, home, moved_keys,
      static_cast<long long>(moving.count()), overlapping.at(0), overlapping.at(1));
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first " << failures.front()
                                << ", last " << failures.back() << "\n"
                                << suite.Logs();
  const std::string metrics = testing::HttpGet(suite.scheduling().metrics_port(), "/metrics");
  // The client met the migration (and went on): ASK or TRYAGAIN while the
  // keys moved, MOVED if it still had the old owner afterwards (a map
  // reload after the ASK may already have the new one).
  const double moved =
      MetricValue(metrics, "dermaflow_redis_cluster_redirections_total{kind=\"moved\"}");
  const double ask =
      MetricValue(metrics, "dermaflow_redis_cluster_redirections_total{kind=\"ask\"}");
  const double tryagain =
      MetricValue(metrics, "dermaflow_redis_cluster_redirections_total{kind=\"tryagain\"}");
  std::printf("scheduling: %g MOVED, %g ASK, %g TRYAGAIN\n", moved, ask, tryagain);
  EXPECT_GE(moved + ask + tryagain, 1) << metrics;
  ExpectBookingsKept(*tenant.api, acknowledged);
}

}  // namespace
}  // namespace dermaflow::e2e
