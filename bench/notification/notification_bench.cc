// notification_bench: the reminder engine's targets (issue 13), each phase on
// a private redis-server (AOF on, appendfsync everysec, as deployed) that the
// bench always stops, with the log channel (quiet) and anonymous local
// patients:
//   floor     a minimal ZSET job queue (add, claim, read, ack), producer and
//             consumer at once: the in-run baseline the engine is compared to
//   plan      booked events -> stored reminders (intake alone), reminders/s
//   dispatch  due reminders -> delivered (dispatcher alone), reminders/s
//   e2e       intake and dispatcher threads together, events in -> messages
//             out; Redis CPU (INFO cpu) and engine CPU (getrusage) per
//             reminder; bytes of Redis memory kept per delivered reminder
//   lag       reminders coming due at a steady rate while the dispatcher runs,
//             due -> delivered p50/p99/max
//   catchup   --events overdue reminders of one organization (as after an
//             outage) while another's come due at 200/s: time to drain,
//             and the other organization's lag meanwhile
//   history   planning with 0, 1, 10, 50 past (delivered) reminders per patient,
//             the same data in Redis in each row
//   soak      30 simulated days (fake clock) of bookings delivered and swept
//             by retention: Redis memory by day, which must level off
//   memory    Redis memory per pending far-future reminder, without parking
//             and with --park_after, broken down by key
//   replicas  three replica processes against one, interleaved, 3 reps, on
//             one Redis: each replica the bench re-executed as a child
//             (--replica_child: intake + dispatcher, as one pod runs them) in
//             a cgroup of its own limited to --replica_cpu cores (a pod's
//             CPU limit; cpu_limit.h); Redis and the bench are not limited.
//             Reminders/s, Redis CPU (INFO cpu) and the replicas' CPU
//             (/proc/<pid>/stat) per reminder, Redis's share of its core;
//             the replicas' own delivered counters must add up to exactly
//             the reminders (each delivered once across them). Not in the
//             default list: it needs a writable cgroup cpu controller (root)
//   cluster   one tenant's events in -> messages out on a Redis Cluster (3
//             primaries, 3 replicas; the tests' fixture, AOF off) against one
//             redis-server (AOF off too), interleaved, 3 reps (issue 15)
//   idle      a quiet multi-tenant system (--idle_orgs, nothing due): Redis
//             CPU of 1 and 3 replica processes sharing the organizations,
//             against the dispatcher's idle pass before the due probe (the
//             claim script on every organization), in the same run
// Every phase checks that nothing was lost (all delivered or scheduled as
// expected, nothing in flight/retrying/dead, every event acked) and fails
// loudly otherwise.
//
//   build/bin/notification_bench --events=200000
//   build/bin/notification_bench --phases=floor,e2e --events=1000000
//   build/bin/notification_bench --phases=replicas --events=30000 --replica_cpu=0.25
//   build/bin/notification_bench --phases=idle --idle_orgs=1000
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/notification/bench_events.h"
#include "bench/notification/bench_redis.h"
#include "bench/notification/cpu_limit.h"
#include "bench/notification/engine_harness.h"
#include "bench/notification/machine_cpu.h"
#include "bench/notification/process_cpu.h"
#include "bench/notification/replica_child.h"
#include "bench/notification/replica_process.h"
#include "bench/notification/zset_floor.h"
#include "common/events/event_stream.h"
#include "services/notification/delivery/retention_sweeper.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/notification_keys.h"
#include "tests/support/redis_cluster.h"

ABSL_FLAG(int, events, 50'000, "booked events per throughput phase (one due reminder each)");
ABSL_FLAG(int, far_future, 100'000, "far-future reminders for the memory phase");
ABSL_FLAG(int, batch, 200, "dispatcher batch size");
ABSL_FLAG(int, consumer_batch, 200, "events read per poll");
ABSL_FLAG(int, lag_rate, 15'000, "reminders coming due per second in the lag phase");
ABSL_FLAG(int, lag_seconds, 4, "length of the lag phase");
ABSL_FLAG(int, history_patients, 2'000, "patients (one new booking each) per history row");
ABSL_FLAG(int, floor_claim, 10, "jobs the ZSET floor's workers claim per round trip");
ABSL_FLAG(int, floor_workers, 2, "consumer threads of the ZSET floor");
ABSL_FLAG(int, soak_days, 30, "simulated days of the soak phase");
ABSL_FLAG(int, soak_per_day, 5'000, "reminders planned and delivered per simulated day");
ABSL_FLAG(absl::Duration, soak_retention, absl::Hours(24 * 7),
          "--reminder_retention in the soak (short, so 30 days show the plateau)");
ABSL_FLAG(absl::Duration, park_after, absl::Hours(48),
          "--reminder_park_after of the engine in every phase (0: no parking); the memory "
          "phase also measures 0 in the same run");
ABSL_FLAG(bool, commandstats, false, "print INFO commandstats after the dispatch phase");
ABSL_FLAG(bool, aof, true, "Redis append-only file on, appendfsync everysec (as deployed)");
ABSL_FLAG(double, replica_cpu, 0.25,
          "CPU limit of each replica process in the replicas phase, in cores (a pod's "
          "resources.limits.cpu)");
ABSL_FLAG(int, idle_orgs, 1000, "organizations registered in the idle phase");
ABSL_FLAG(bool, replica_child, false, "internal: run as one replica of the replicas phase");
ABSL_FLAG(std::string, redis_url, "", "internal, with --replica_child: the phase's Redis");
ABSL_FLAG(std::string, consumer, "replica", "internal, with --replica_child: consumer name");
ABSL_FLAG(std::string, phases, "floor,plan,e2e,lag,catchup,history,soak,memory",
          "phases to run (plan includes dispatch)");

namespace nf = dermaflow::notification;
namespace common = dermaflow::common;
using namespace dermaflow::bench;  // NOLINT(google-build-using-namespace): one program
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Percentiles {
  double p50, p99, max;
};
Percentiles Summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {0, 0, 0};
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back()};
}

// CPU of Redis and of this process over a phase, per reminder.
class CpuMeter {
 public:
  explicit CpuMeter(BenchRedis& server)
      : server_(server), redis0_(server.CpuSeconds()), self0_(ProcessCpuSeconds()) {}
  double RedisUs(int n) { return (server_.CpuSeconds() - redis0_) * 1e6 / n; }
  double EngineUs(int n) { return (ProcessCpuSeconds() - self0_) * 1e6 / n; }

 private:
  BenchRedis& server_;
  double redis0_, self0_;
};

BenchRedisOptions ServerOptions() { return {.aof = absl::GetFlag(FLAGS_aof)}; }
EngineOptions Engine() {
  EngineOptions options{.batch = absl::GetFlag(FLAGS_batch),
                        .consumer_batch = absl::GetFlag(FLAGS_consumer_batch)};
  options.queue.park_after = absl::GetFlag(FLAGS_park_after);
  return options;
}

void DrainIntake(EngineHarness& engine, int n) {
  int acked = 0;
  WaitFor(
      "intake", [&] { return acked += engine.intake->PollOnce().value_or(0); }, n);
}

void Ping() {
  BenchRedis server(ServerOptions());
  std::vector<double> pings;
  for (int i = 0; i < 2000; ++i) {
    const auto t0 = Clock::now();
    (void)server.admin().Ping();
    pings.push_back(Seconds(Clock::now() - t0) * 1e6);
  }
  const Percentiles ping = Summarize(pings);
  std::printf("baseline  redis PING round trip: p50 %.0f us, p99 %.0f us\n", ping.p50, ping.p99);
}

FloorResult Floor(int n) {
  const FloorOptions options{.jobs = n,
                             .claim = absl::GetFlag(FLAGS_floor_claim),
                             .workers = absl::GetFlag(FLAGS_floor_workers)};
  FloorResult f = RunZsetFloor(options);
  std::printf(
      "floor     %d jobs through a minimal ZSET queue (add; claim %d, read, ack per round trip; "
      "%d workers) in %.2f s: %.0f cycles/s (Redis CPU %.1f us, client CPU %.1f us per job)\n",
      n, options.claim, options.workers, f.seconds, f.cycles_per_s, f.redis_cpu_us, f.bench_cpu_us);
  return f;
}

// 2.5 bookings per patient as at 50k events, at least 20k patients: at 1M
// events 20k patients would hold 50 open reminders each, not a real clinic.
int Patients(int events) { return std::max(20'000, events * 2 / 5); }

auto Booked(int patients, absl::Time now) {
  return [patients, now](int i) { return BookedSoon(i, patients, now); };
}

void PlanThenDispatch(int n) {
  BenchRedis server(ServerOptions());
  EngineHarness engine(server.url(), Engine());
  Publish(server.admin(), 0, n, Booked(Patients(n), absl::Now()));
  CpuMeter plan_cpu(server);
  auto t0 = Clock::now();
  DrainIntake(engine, n);
  const double plan_s = Seconds(Clock::now() - t0);
  std::printf(
      "plan      %d events -> %d reminders in %.2f s: %.0f reminders/s (Redis CPU %.0f us, "
      "engine CPU %.0f us per reminder)\n",
      n, n, plan_s, n / plan_s, plan_cpu.RedisUs(n), plan_cpu.EngineUs(n));
  CheckSettled(server, 0, n);

  if (absl::GetFlag(FLAGS_commandstats)) (void)server.admin().Command({"CONFIG", "RESETSTAT"});
  CpuMeter dispatch_cpu(server);
  t0 = Clock::now();
  WaitFor(
      "dispatch",
      [&] {
        (void)engine.dispatcher->RunOnce();
        return engine.Delivered();
      },
      n);
  const double dispatch_s = Seconds(Clock::now() - t0);
  if (absl::GetFlag(FLAGS_commandstats)) {
    std::printf("%s\n", server.admin().Command({"INFO", "commandstats"})->str().c_str());
  }
  std::printf(
      "dispatch  %d due reminders delivered in %.2f s: %.0f reminders/s (batch %d; Redis CPU "
      "%.0f us, engine CPU %.0f us per reminder)\n",
      n, dispatch_s, n / dispatch_s, absl::GetFlag(FLAGS_batch), dispatch_cpu.RedisUs(n),
      dispatch_cpu.EngineUs(n));
  CheckSettled(server, n, 0);
}

// Polls the delivered counter from this thread without stealing much CPU.
double SleepThenDelivered(EngineHarness& engine) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return engine.Delivered();
}

void EndToEnd(int n, const FloorResult* floor) {
  BenchRedis server(ServerOptions());
  EngineHarness engine(server.url(), Engine());
  Publish(server.admin(), 0, n, Booked(Patients(n), absl::Now()));
  const int64_t memory0 = server.UsedMemory();
  CpuMeter cpu(server);
  const auto t0 = Clock::now();
  engine.intake->Start();
  engine.dispatcher->Start();
  WaitFor(
      "e2e delivery", [&] { return SleepThenDelivered(engine); }, n);
  const double s = Seconds(Clock::now() - t0);
  const double redis_us = cpu.RedisUs(n), engine_us = cpu.EngineUs(n);
  engine.intake->Stop();
  engine.dispatcher->Stop();
  CheckSettled(server, n, 0);
  std::printf(
      "e2e       %d events in -> %d messages out in %.2f s: %.0f reminders/s (Redis CPU %.0f us, "
      "engine CPU %.0f us per reminder)",
      n, n, s, n / s, redis_us, engine_us);
  if (floor) std::printf("; %.2fx the ZSET floor", (n / s) / floor->cycles_per_s);
  std::printf("\n          kept per delivered reminder: %.0f bytes of Redis memory\n",
              static_cast<double>(server.UsedMemory() - memory0) / n);
}

// The replicas phase: each replica a process of its own in a CPU-limited
// cgroup, as pods with resources.limits.cpu on other nodes; Redis and this
// bench are not limited.
// One tenant's events in -> messages out on a Redis Cluster (3 primaries, 3
// replicas, no AOF: the test fixture's) or on one redis-server (AOF off too,
// to compare like with like); returns reminders/s and prints the run.
double ClusterOrSingle(int n, bool cluster, int rep) {
  std::unique_ptr<dermaflow::testing::RedisCluster> nodes;
  std::unique_ptr<BenchRedis> single;
  std::string url;
  if (cluster) {
    nodes = std::make_unique<dermaflow::testing::RedisCluster>();
    url = nodes->url();
  } else {
    single = std::make_unique<BenchRedis>(BenchRedisOptions{.aof = false});
    url = single->url();
  }
  common::RedisClient admin(*common::ParseRedisUrl(url));
  EngineHarness engine(url, Engine());
  Publish(admin, 0, n, Booked(Patients(n), absl::Now()));
  const double cpu0 = ProcessCpuSeconds();
  const auto t0 = Clock::now();
  engine.intake->Start();
  engine.dispatcher->Start();
  WaitFor(
      cluster ? "cluster delivery" : "single delivery", [&] { return SleepThenDelivered(engine); },
      n);
  const double s = Seconds(Clock::now() - t0);
  const double engine_us = (ProcessCpuSeconds() - cpu0) * 1e6 / n;
  engine.intake->Stop();
  engine.dispatcher->Stop();
  std::printf(
      "cluster   rep %d, %s: %d events in -> messages out: %.0f reminders/s (engine CPU %.0f us "
      "per reminder)\n",
      rep, cluster ? "Redis Cluster (3 primaries)" : "one redis-server          ", n, n / s,
      engine_us);
  return n / s;
}

void OnCluster(int n) {
  std::vector<double> single, cluster;
  for (int rep = 1; rep <= 3; ++rep) {
    single.push_back(ClusterOrSingle(n, false, rep));
    cluster.push_back(ClusterOrSingle(n, true, rep));
  }
  const double s = Summarize(single).p50, c = Summarize(cluster).p50;
  std::printf("cluster   median: one redis-server %.0f/s, Redis Cluster %.0f/s: %.2fx\n", s, c,
              c / s);
}

struct ReplicaRun {
  double seconds = 0;
  double redis_cpu_s = 0;          // INFO cpu of the server over the run
  double redis_wait_s = 0;         // its main thread runnable but not on a CPU
  double replica_cpu_s = 0;        // the replicas' /proc/<pid>/stat utime + stime, summed
  double bench_cpu_s = 0;          // this process (publisher, poller): getrusage
  MachineCpu machine;              // /proc/stat over the run: every process
  CpuThrottling limited;           // the replicas' cgroups' CFS periods, summed
  std::vector<int64_t> delivered;  // each replica's own counter
};

std::vector<std::string> ReplicaFlags(const std::string& redis_url, int i) {
  return {"--redis_url=" + redis_url, absl::StrCat("--consumer=replica-", i),
          absl::StrCat("--batch=", absl::GetFlag(FLAGS_batch)),
          absl::StrCat("--consumer_batch=", absl::GetFlag(FLAGS_consumer_batch))};
}

// `count` replica processes on one fresh Redis holding n booked events,
// timed from "go" until the done index holds all n. Throws unless their
// delivered counters add up to exactly n and the Redis is settled.
ReplicaRun RunReplicas(int n, int count, double cores) {
  BenchRedis server(ServerOptions());
  Publish(server.admin(), 0, n, Booked(Patients(n), absl::Now()));
  // Declared first, so destroyed last: a group is removed after its
  // process has been killed and reaped.
  std::vector<std::unique_ptr<CpuLimit>> limits;
  std::vector<std::unique_ptr<ReplicaProcess>> replicas;
  for (int i = 0; i < count; ++i) {
    limits.push_back(
        std::make_unique<CpuLimit>(absl::StrCat("dermaflow-bench-", getpid(), "-", i), cores));
    replicas.push_back(std::make_unique<ReplicaProcess>(ReplicaFlags(server.url(), i)));
    limits.back()->Add(replicas.back()->pid());
  }
  for (auto& r : replicas) r->WaitReady();
  auto replica_cpu = [&] {
    double total = 0;
    for (auto& r : replicas) total += r->CpuSeconds();
    return total;
  };
  auto limited = [&] {
    CpuThrottling total;
    for (auto& l : limits) {
      const CpuThrottling t = l->Throttling();
      total.periods += t.periods;
      total.throttled += t.throttled;
    }
    return total;
  };
  const double redis0 = server.CpuSeconds(), replica0 = replica_cpu();
  const CpuThrottling limited0 = limited();
  const MachineCpu machine0 = ReadMachineCpu();
  const double bench0 = ProcessCpuSeconds();
  const double redis_wait0 = RunQueueWaitSeconds(server.pid());
  const auto t0 = Clock::now();
  for (auto& r : replicas) r->Go();
  WaitFor(
      "replicas delivery",
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return static_cast<double>(DeliveredIn(server));
      },
      n);
  ReplicaRun run;
  run.seconds = Seconds(Clock::now() - t0);
  const MachineCpu machine1 = ReadMachineCpu();
  run.machine = {machine1.busy_s - machine0.busy_s, machine1.idle_s - machine0.idle_s};
  run.bench_cpu_s = ProcessCpuSeconds() - bench0;
  run.redis_cpu_s = server.CpuSeconds() - redis0;
  run.redis_wait_s = RunQueueWaitSeconds(server.pid()) - redis_wait0;
  run.replica_cpu_s = replica_cpu() - replica0;
  const CpuThrottling limited1 = limited();
  run.limited = {limited1.periods - limited0.periods, limited1.throttled - limited0.throttled};
  int64_t delivered = 0;
  for (auto& r : replicas) delivered += run.delivered.emplace_back(r->StopAndReport());
  CheckSettled(server, n, 0);
  if (delivered != n) {
    throw std::runtime_error(absl::StrCat("replicas: ", count, " replicas report ", delivered,
                                          " deliveries of ", n, " reminders"));
  }
  return run;
}

void Replicas(int n) {
  const double cores = absl::GetFlag(FLAGS_replica_cpu);
  if (!(cores >= 0.01 && cores <= 64)) {
    throw std::runtime_error(
        absl::StrCat("--replica_cpu must be in [0.01, 64] cores, got ", cores));
  }
  CpuLimit::RemoveAbandoned("dermaflow-bench-");
  {
    // Fails here, before any run, where no CPU limit can be set.
    const CpuLimit probe(absl::StrCat("dermaflow-bench-", getpid(), "-probe"), cores);
    std::printf(
        "replicas  each replica (intake + dispatcher) a process of its own in its own cgroup, "
        "%.2f core: %s; Redis and the bench not limited\n",
        cores, probe.Describe().c_str());
  }
  std::vector<double> one, three, redis_busy_three, redis_wait_three;
  for (int rep = 0; rep < 3; ++rep) {
    for (int count : {1, 3}) {
      const ReplicaRun r = RunReplicas(n, count, cores);
      (count == 1 ? one : three).push_back(n / r.seconds);
      if (count == 3) {
        redis_busy_three.push_back(r.redis_cpu_s / r.seconds);
        redis_wait_three.push_back(r.redis_wait_s / r.seconds);
      }
      std::string split;
      for (int64_t d : r.delivered) absl::StrAppend(&split, split.empty() ? "" : " + ", d);
      // Busy time that was not Redis's, the replicas' or the bench's (at
      // least 0: /proc/stat counts in 10 ms ticks).
      const double others =
          std::max(0.0, r.machine.busy_s - r.redis_cpu_s - r.replica_cpu_s - r.bench_cpu_s);
      std::printf(
          "replicas  rep %d, %d replica process(es), %.2f core each: %d reminders in %.2f s: %.0f "
          "reminders/s, delivered %s, each once\n"
          "          Redis CPU %.0f us per reminder (on a CPU %.2f of the time, waiting for one "
          "%.2f); "
          "replicas CPU %.0f us per "
          "reminder (%.2f cores of %.2f allowed; quota used up in %.0f%% of CFS periods)\n"
          "          machine: %.2f of %ld cores idle, %.2f to other processes, %.2f to the "
          "bench's publisher/poller\n",
          rep + 1, count, cores, n, r.seconds, n / r.seconds, split.c_str(),
          r.redis_cpu_s * 1e6 / n, r.redis_cpu_s / r.seconds, r.redis_wait_s / r.seconds,
          r.replica_cpu_s * 1e6 / n, r.replica_cpu_s / r.seconds, cores * count,
          r.limited.periods > 0 ? 100.0 * r.limited.throttled / r.limited.periods : 0.0,
          r.machine.idle_s / r.seconds, sysconf(_SC_NPROCESSORS_ONLN), others / r.seconds,
          r.bench_cpu_s / r.seconds);
    }
  }
  const double median_one = Summarize(one).p50, median_three = Summarize(three).p50;
  std::printf(
      "replicas  median: 1 replica %.0f/s, 3 replicas %.0f/s: %.2fx; Redis in the 3-replica runs "
      "(median): on a CPU %.2f of the time, waiting for one %.2f\n",
      median_one, median_three, median_three / median_one, Summarize(redis_busy_three).p50,
      Summarize(redis_wait_three).p50);
}

// Writes `count` due reminders of `org` straight into the queue (as intake
// stores them), reminder i due at start + i / rate; returns their ids.
std::vector<std::string> WriteDue(EngineHarness& engine, const std::string& org, int first,
                                  int count, absl::Time start, double rate) {
  std::vector<std::string> ids;
  constexpr int kSlice = 20'000;
  for (int from = first; from < first + count; from += kSlice) {
    std::vector<nf::WriteGroup> groups;
    for (int i = from; i < std::min(first + count, from + kSlice); ++i) {
      if (groups.empty() || groups.back().writes.size() == 500)
        groups.emplace_back().atomic = false;
      nf::internal::StoredReminder d;
      d.set_patient_id(PatientId(i % 1000));
      d.set_kind(nf::v1::REMINDER_KIND_FOLLOW_UP);
      d.set_rule_code("day7_result_check");
      d.set_appointment_id(SchedulingId("ap", 5'000'000 + i));
      d.set_protocol_id(kHydralift);
      d.set_protocol_version(1);
      d.set_clinic_id("cl_0123456789abcdef0123");
      d.set_original_due_ms(nf::ToMillis(start + absl::Seconds(1) * ((i - first) / rate)));
      d.set_due_ms(d.original_due_ms());
      nf::ReminderWrite w;
      w.id = nf::ReminderId(nf::v1::REMINDER_KIND_FOLLOW_UP, d.appointment_id(), d.rule_code());
      w.value = nf::EncodeRecord(nf::v1::REMINDER_STATE_SCHEDULED, d);
      w.score = d.due_ms();
      w.patient_id = d.patient_id();
      ids.push_back(w.id);
      groups.back().writes.push_back(std::move(w));
    }
    if (!engine.store.Write(org, groups).ok()) throw std::runtime_error("writing due reminders");
  }
  if (!engine.redis.Command({"SADD", common::OrganizationsKey(), org}).ok()) {
    throw std::runtime_error("registering " + org);
  }
  return ids;
}

// Due -> delivered of each reminder, in ms (throws if one is missing).
std::vector<double> LagsOf(EngineHarness& engine, const std::string& org,
                           const std::vector<std::string>& ids) {
  std::vector<double> lags;
  for (const std::string& id : ids) {
    absl::StatusOr<nf::VersionedRecord> r = engine.store.Get(org, id);
    if (!r.ok()) throw std::runtime_error("record lost: " + id);
    lags.push_back(
        static_cast<double>(r->record.data.delivered_ms() - r->record.data.original_due_ms()));
  }
  return lags;
}

void Lag() {
  const int rate = absl::GetFlag(FLAGS_lag_rate);
  const int count = rate * absl::GetFlag(FLAGS_lag_seconds);
  BenchRedis server(ServerOptions());
  EngineHarness engine(server.url(), Engine());
  // Room to write them all before the first comes due (5k/s even on a busy machine).
  const absl::Time start = absl::Now() + absl::Seconds(1) + absl::Seconds(count / 5'000.0);
  const std::vector<std::string> ids = WriteDue(engine, kOrg, 0, count, start, rate);
  if (absl::Now() > start) std::printf("          (lag: writing took past the first due time)\n");
  engine.dispatcher->Start();
  WaitFor(
      "lag delivery", [&] { return SleepThenDelivered(engine); }, count);
  engine.dispatcher->Stop();
  CheckSettled(server, count, 0);
  const Percentiles lag = Summarize(LagsOf(engine, kOrg, ids));
  std::printf(
      "lag       %d reminders due at %d/s: due -> delivered p50 %.0f ms, p99 %.0f ms, max %.0f "
      "ms\n",
      count, rate, lag.p50, lag.p99, lag.max);
}

// One organization's backlog of overdue reminders (a dispatcher outage)
// while another organization's reminders keep coming due at 200/s.
void CatchUp(int n) {
  constexpr char kOther[] = "bench-other";
  constexpr double kOtherRate = 200;
  BenchRedis server(ServerOptions());
  EngineHarness engine(server.url(), Engine());
  const absl::Time now = absl::Now();
  WriteDue(engine, kOrg, 0, n, now - absl::Hours(1), n / 3600.0);
  const int other_count = static_cast<int>(kOtherRate * std::max(10, n / 4'000));
  const absl::Time other_start = absl::Now() + absl::Seconds(1);
  const std::vector<std::string> other =
      WriteDue(engine, kOther, n, other_count, other_start, kOtherRate);
  CpuMeter cpu(server);
  const auto t0 = Clock::now();
  engine.dispatcher->Start();
  WaitFor(
      "catch-up",
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return static_cast<double>(DeliveredIn(server, kOrg));
      },
      n);
  const double s = Seconds(Clock::now() - t0);
  const double redis_us = cpu.RedisUs(n), engine_us = cpu.EngineUs(n);
  WaitFor(
      "other organization",
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return static_cast<double>(DeliveredIn(server, kOther));
      },
      other_count);
  engine.dispatcher->Stop();
  CheckSettled(server, n, 0);
  // The other organization's reminders that came due while the backlog drained.
  std::vector<double> during = LagsOf(engine, kOther, other);
  during.resize(std::min<size_t>(during.size(), static_cast<size_t>(s * kOtherRate)));
  const Percentiles lag = Summarize(during);
  std::printf(
      "catchup   %d overdue reminders of one organization delivered in %.2f s: %.0f reminders/s "
      "(Redis CPU %.0f us, engine CPU %.0f us per reminder)\n"
      "          meanwhile another organization's %zu reminders due at %.0f/s: due -> delivered "
      "p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
      n, s, n / s, redis_us, engine_us, during.size(), kOtherRate, lag.p50, lag.p99, lag.max);
}

constexpr int kMostHistory = 50;
constexpr int kNewPerPatient = 3;  // measured bookings per patient

// Planning rate with `past` delivered reminders per patient already stored.
// Other patients hold the rest of kMostHistory per patient, so every row has
// the same amount of data in Redis and differs only in the history of the
// patients being planned for.
double PlanWithHistory(int patients, int past) {
  BenchRedis server(ServerOptions());
  EngineHarness engine(server.url(), Engine());
  const absl::Time now = absl::Now();
  const int n = patients * kMostHistory;
  auto history = [&](int i) {
    dermaflow::events::v1::Event e = BookedSoon(i, patients, now - absl::Hours(1));
    // Bookings beyond `past` per patient go to the other patients.
    const int patient = i % patients + (i >= patients * past ? patients : 0);
    e.mutable_appointment_booked()->mutable_appointment()->set_patient_id(PatientId(patient));
    return e;
  };
  Publish(server.admin(), 0, n, history);
  DrainIntake(engine, n);
  WaitFor(
      "history delivery",
      [&] {
        (void)engine.dispatcher->RunOnce();
        return engine.Delivered();
      },
      n);
  // Steady state: planning has met each patient since their reminders
  // ended, so those ids have moved to the final index (settle_patient_index:
  // paid once per reminder, timed here apart from the rows).
  const auto settle0 = Clock::now();
  std::vector<std::string> all;
  all.reserve(static_cast<size_t>(2) * patients);
  for (int p = 0; p < 2 * patients; ++p) all.push_back(PatientId(p));
  for (size_t at = 0; at < all.size(); at += 500) {
    std::vector<std::string> some(all.begin() + at, all.begin() + std::min(all.size(), at + 500));
    if (!engine.store.ReadForPlanning(kOrg, some, {}).ok()) throw std::runtime_error("settle");
  }
  const double settle_s = Seconds(Clock::now() - settle0);
  const int fresh = kNewPerPatient * patients;
  Publish(server.admin(), n, fresh, Booked(patients, now));
  server.SettleAof();
  CpuMeter cpu(server);
  const auto t0 = Clock::now();
  DrainIntake(engine, fresh);
  const double s = Seconds(Clock::now() - t0);
  CheckSettled(server, n, fresh);
  std::printf(
      "history   %2d past reminders per patient: %d new bookings planned in %.2f s: %.0f "
      "reminders/s (Redis CPU %.0f us, engine CPU %.0f us per reminder; index settled "
      "before in %.2f s)",
      past, fresh, s, fresh / s, cpu.RedisUs(fresh), cpu.EngineUs(fresh), settle_s);
  return fresh / s;
}

void History() {
  const int patients = absl::GetFlag(FLAGS_history_patients);
  double fresh = 0;
  for (int past : {0, 1, 10, kMostHistory}) {
    const double rate = PlanWithHistory(patients, past);
    if (past == 0) {
      fresh = rate;
      std::printf("\n");
    } else {
      std::printf("; %.2fx the fresh case\n", rate / fresh);
    }
  }
}

// 30 simulated days on a fake clock: each day `per_day` bookings are planned
// and delivered, then the day ends with a retention sweep; Redis memory
// (without the event stream, which the producers trim) must level off once
// the retention is reached.
void Soak() {
  const int days = absl::GetFlag(FLAGS_soak_days);
  const int per_day = absl::GetFlag(FLAGS_soak_per_day);
  const absl::Duration retention = absl::GetFlag(FLAGS_soak_retention);
  common::FakeClock clock(absl::Now());
  BenchRedis server(ServerOptions());
  EngineOptions options = Engine();
  options.clock = &clock;
  EngineHarness engine(server.url(), options);
  nf::RetentionSweeper sweeper(engine.store.retention(), engine.store.events(), clock,
                               {.retention = retention, .appointment_guard_retention = retention});
  const std::string stream = *common::StreamKey(kOrg);
  auto memory = [&] {
    absl::StatusOr<common::RedisReply> s =
        server.admin().Command({"MEMORY", "USAGE", stream, "SAMPLES", "0"});
    return server.UsedMemory() - (s.ok() ? s->integer() : 0);
  };
  const int64_t start = memory();
  std::vector<int64_t> by_day;
  int swept = 0;
  for (int day = 0; day < days; ++day) {
    const int first = day * per_day;
    Publish(server.admin(), first, per_day, Booked(Patients(per_day), clock.Now()));
    DrainIntake(engine, per_day);
    WaitFor(
        "soak delivery",
        [&] {
          (void)engine.dispatcher->RunOnce();
          return engine.Delivered();
        },
        first + per_day);
    clock.Advance(absl::Hours(24));
    absl::StatusOr<int> n = sweeper.SweepOnce();
    if (!n.ok()) throw std::runtime_error("soak sweep: " + n.status().ToString());
    swept += *n;
    by_day.push_back(memory() - start);
  }
  const int kept_days = static_cast<int>(absl::ToInt64Hours(retention) / 24);
  CheckSettled(server, static_cast<int64_t>(per_day) * std::min(days, kept_days), 0);
  std::printf(
      "soak      %d simulated days, %d reminders delivered a day, retention %d days: "
      "Redis memory (without the event stream) by day:",
      days, per_day, kept_days);
  for (int day = 4; day < days; day += 5) std::printf(" %d: %.1f MB", day + 1, by_day[day] / 1e6);
  const int64_t last = by_day.back();
  const int64_t mid = by_day[std::min(days - 1, kept_days + (days - kept_days) / 2)];
  std::printf(
      "\n          %d swept; last day %.2fx the day halfway past the retention; %.0f bytes "
      "per delivered reminder kept\n",
      swept, static_cast<double>(last) / mid,
      static_cast<double>(last) / (static_cast<double>(per_day) * kept_days));
}

// Pending far-future reminders (MAINTENANCE + NUDGE, due over a year of
// days) with `park_after` as the engine's threshold, broken down by key.
void MemoryWith(absl::Duration park_after) {
  BenchRedis server(ServerOptions());
  EngineOptions options = Engine();
  options.queue.park_after = park_after;
  EngineHarness engine(server.url(), options);
  const int courses = absl::GetFlag(FLAGS_far_future) / 2;
  const absl::Time now = absl::Now();
  Publish(server.admin(), 0, courses, [now](int i) { return CourseDone(i, now); });
  const int64_t before = server.UsedMemory();
  DrainIntake(engine, courses);
  const int reminders = 2 * courses;
  CheckSettled(server, 0, reminders);
  const int64_t after = server.UsedMemory();
  const nf::NotificationKeys keys = *nf::NotificationKeys::For(kOrg);
  auto usage = [&](const std::string& key) -> int64_t {
    auto r = server.admin().Command({"MEMORY", "USAGE", key, "SAMPLES", "0"});
    return r.ok() && !r->is_nil() ? r->integer() : 0;
  };
  int64_t buckets = usage(keys.park_days) + usage(keys.parked);
  int64_t bucket_bytes = 0;
  auto days = server.admin().Command({"ZRANGE", keys.park_days, "0", "-1"});
  const size_t day_count = days.ok() ? days->elements().size() : 0;
  if (days.ok()) {
    for (const common::RedisReply& day : days->elements()) {
      const std::string key = *keys.ParkBucket(std::stoll(day.str()));
      buckets += usage(key);
      auto length = server.admin().Command({"STRLEN", key});
      if (length.ok()) bucket_bytes += length->integer();
    }
  }
  // One patient per course: each index holds two reminders.
  const double index = static_cast<double>(usage(*keys.PatientIndex(PatientId(1'000'000)))) / 2;
  const double total = static_cast<double>(after - before) / reminders;
  const double records = static_cast<double>(usage(keys.records)) / reminders;
  const double queue = static_cast<double>(usage(keys.queue)) / reminders;
  const double parked = static_cast<double>(buckets) / reminders;
  std::printf(
      "memory    park_after %s: %d pending far-future reminders (MAINTENANCE + NUDGE of %d "
      "courses, one patient each): %.0f bytes each (used_memory %+.1f MB)\n"
      "          per reminder: records hash %.0f B, queue zset %.0f B, parking buckets %.0f B "
      "(%zu days, %.1f id bytes per reminder), patient index %.0f B, other %.0f B\n",
      absl::FormatDuration(park_after).c_str(), reminders, courses, total, (after - before) / 1e6,
      records, queue, parked, day_count, static_cast<double>(bucket_bytes) / reminders, index,
      total - records - queue - parked - index);
  if (park_after <= absl::ZeroDuration()) return;

  // What parking costs later: every parked reminder promoted into the
  // queue (as its day comes), in the promoter's passes of 20 000 entries.
  CpuMeter cpu(server);
  const auto t0 = Clock::now();
  std::optional<nf::ParkCursor> resume;
  int64_t promoted = 0;
  int passes = 0;
  do {
    absl::StatusOr<nf::PromotionResult> r = engine.store.parking().PromoteDays(
        kOrg, std::numeric_limits<int64_t>::max(), 20'000, resume);
    if (!r.ok()) throw std::runtime_error("promotion: " + r.status().ToString());
    promoted += r->promoted;
    resume = r->resume;
    ++passes;
  } while (resume);
  const double s = Seconds(Clock::now() - t0);
  CheckSettled(server, 0, reminders);
  absl::StatusOr<common::RedisReply> queued = server.admin().Command({"ZCARD", keys.queue});
  if (promoted != reminders || !queued.ok() || queued->integer() != reminders) {
    throw std::runtime_error(absl::StrCat("promotion lost reminders: ", promoted, " promoted"));
  }
  std::printf(
      "          promoting all %d into the queue: %d passes in %.2f s, %.0f reminders/s (Redis "
      "CPU %.1f us, engine CPU %.1f us per reminder)\n",
      reminders, passes, s, reminders / s, cpu.RedisUs(reminders), cpu.EngineUs(reminders));
}

void Memory() {
  MemoryWith(absl::ZeroDuration());  // the in-run baseline: every reminder queued
  MemoryWith(absl::GetFlag(FLAGS_park_after));
}

// Redis CPU per second of wall time over `seconds`, while `work` runs (or
// just waiting, when it is null).
double RedisCoresDuring(BenchRedis& server, absl::Duration seconds,
                        const std::function<void()>& work = nullptr) {
  const double cpu0 = server.CpuSeconds();
  const auto t0 = Clock::now();
  const absl::Time end = absl::Now() + seconds;
  while (absl::Now() < end) {
    if (work) {
      work();
    } else {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  return (server.CpuSeconds() - cpu0) / Seconds(Clock::now() - t0);
}

// The idle phase: what a quiet multi-tenant system costs Redis. --idle_orgs
// organizations registered, nothing due, no events; 1 and then 3 replica
// processes (intake + dispatcher, sharing the organizations). The in-run
// baseline is the dispatcher's idle pass as it was before the due probe:
// the claim script on every organization, then the 20 ms idle wait.
void Idle() {
  const int orgs = absl::GetFlag(FLAGS_idle_orgs);
  const absl::Duration window = absl::Seconds(5);
  BenchRedis server(ServerOptions());
  std::vector<std::string> names;
  for (int i = 0; i < orgs; ++i) names.push_back(absl::StrCat("quiet-clinic-", i));
  std::vector<std::string> sadd = {"SADD", common::OrganizationsKey()};
  sadd.insert(sadd.end(), names.begin(), names.end());
  if (!server.admin().Command(sadd).ok()) throw std::runtime_error("registering organizations");

  nf::RedisReminderStore store(server.admin());
  const double baseline = RedisCoresDuring(server, window, [&] {
    for (const std::string& org : names) {
      if (!store.ClaimDue(org, absl::Now(), absl::Seconds(10), 200).ok()) {
        throw std::runtime_error("baseline claim failed");
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  });
  std::printf(
      "idle      %d organizations, nothing due: baseline (claim script on every "
      "organization per pass, one dispatcher): Redis %.3f cores\n",
      orgs, baseline);
  for (int count : {1, 3}) {
    std::vector<std::unique_ptr<ReplicaProcess>> replicas;
    for (int i = 0; i < count; ++i) {
      replicas.push_back(std::make_unique<ReplicaProcess>(ReplicaFlags(server.url(), i)));
    }
    for (auto& r : replicas) r->WaitReady();
    double replica0 = 0;
    for (auto& r : replicas) {
      r->Go();
      replica0 += r->CpuSeconds();
    }
    absl::SleepFor(absl::Seconds(3));  // groups created, views settled
    const auto t0 = Clock::now();
    double replica_start = 0;
    for (auto& r : replicas) replica_start += r->CpuSeconds();
    const double cores = RedisCoresDuring(server, window);
    double replica_end = 0;
    for (auto& r : replicas) replica_end += r->CpuSeconds();
    const double replica_cores = (replica_end - replica_start) / Seconds(Clock::now() - t0);
    for (auto& r : replicas) r->StopAndReport();
    std::printf(
        "idle      %d replica process(es) (intake + dispatcher, sharing): Redis %.3f cores "
        "(%.2fx the baseline), the replicas %.3f cores together\n",
        count, cores, cores / baseline, replica_cores);
  }
}

}  // namespace

int main(int argc, char** argv) {
  InstallRedisCleanupOnSignals();
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_replica_child)) {
    EngineOptions options = Engine();
    options.consumer = absl::GetFlag(FLAGS_consumer);
    options.share_tenants = true;
    return RunReplicaChild(absl::GetFlag(FLAGS_redis_url), options);
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int n = absl::GetFlag(FLAGS_events);
  const std::vector<std::string> list = absl::StrSplit(absl::GetFlag(FLAGS_phases), ',');
  const std::set<std::string> phases(list.begin(), list.end());
  try {
    Ping();
    std::optional<FloorResult> floor;
    if (phases.contains("floor")) floor = Floor(n);
    if (phases.contains("plan")) PlanThenDispatch(n);
    if (phases.contains("e2e")) EndToEnd(n, floor ? &*floor : nullptr);
    if (phases.contains("lag")) Lag();
    if (phases.contains("catchup")) CatchUp(n);
    if (phases.contains("history")) History();
    if (phases.contains("soak")) Soak();
    if (phases.contains("memory")) Memory();
    if (phases.contains("replicas")) Replicas(n);
    if (phases.contains("cluster")) OnCluster(n);
    if (phases.contains("idle")) Idle();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "notification_bench failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
