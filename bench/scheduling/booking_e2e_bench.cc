// BookAppointment across the real processes: starts redis-server and the
// dermaflow-patient, -protocol and -scheduling binaries on free loopback
// ports (JWT auth, HS256, as the e2e suite), seeds an organization (the
// protocol catalog, a clinic, one practitioner and one room per client,
// patients with a medical profile), then drives closed-loop clients, each
// booking its own distinct slots (its practitioner, its room, a patient no
// other client holds at that time). Every booking goes the production way:
// scheduling -> protocol ScreenEligibility -> patient GetPatient FULL
// (audited) -> the booking script in Redis.
//
// Per repetition it reports bookings/s, p50/p99 latency and CPU per booking
// in each process (/proc/<pid>/stat for the services, INFO cpu for Redis)
// and their total, next to an in-run baseline at the same concurrency:
// GetClinic on scheduling (gRPC + auth + one Redis read), and (unless
// --compare_uncached=false) the same bookings on a second deployment with the
// protocol caches off, and (--compare_durable) on a third whose Redis has a
// replica and whose services wait for it on every durable write
// (--redis_durable_replicas=1: the cost of WAIT 1). Repetitions interleave
// the phases; the summary gives medians and ratios.
//
//   build-book/bin/booking_e2e_bench --clients=16 --bookings=3200 --reps=3
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/scheduling/process_cpu.h"
#include "common/auth/jwt_minter.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tests/support/open_every_day.h"
#include "tests/support/process.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

ABSL_FLAG(int, clients, 16, "concurrent closed-loop clients");
ABSL_FLAG(int, bookings, 3200, "bookings per repetition (all clients together)");
ABSL_FLAG(int, baseline_calls, 3200, "GetClinic calls per repetition (all clients together)");
ABSL_FLAG(int, reps, 3, "repetitions (baseline, then bookings, each time)");
ABSL_FLAG(int, patients, 512, "patients seeded (clients take turns through them)");
ABSL_FLAG(bool, compare_uncached, true,
          "also run a second deployment with scheduling's latest-protocol cache and protocol's "
          "version cache off (--protocol_latest_ttl=0, --version_cache_size=0), interleaved");
ABSL_FLAG(bool, compare_cluster, false,
          "also book on a deployment whose Redis is a Cluster (3 primaries, 3 replicas)");
ABSL_FLAG(bool, compare_durable, true,
          "also book on a deployment with a Redis replica and --redis_durable_replicas=1");
ABSL_FLAG(absl::Duration, max_phase_time, absl::Seconds(60),
          "a phase stops early after this long (the counts are then smaller)");

namespace dermaflow::bench {
namespace {

namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr char kOrganization[] = "bench";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "booking_e2e_bench: %s\n", what.c_str());
  std::exit(1);
}

void Require(const grpc::Status& s, const std::string& what) {
  if (!s.ok()) Fail(absl::StrCat(what, " failed: ", s.error_code(), " ", s.error_message()));
}

// The three services and Redis, as a deployment runs them (one host).
class Deployment {
 public:
  // `protocol_extra`, `scheduling_extra`: flags added to those services.
  // `durable`: Redis gets a replica, and every service waits for it on
  // durable writes (--redis_durable_replicas=1). `cluster`: the services use
  // a Redis Cluster of 3 primaries and 3 replicas instead.
  Deployment(const std::vector<std::string>& protocol_extra,
             const std::vector<std::string>& scheduling_extra, bool durable = false,
             bool cluster = false) {
    if (cluster) cluster_ = std::make_unique<testing::RedisCluster>();
    const std::string url = cluster ? cluster_->url() : redis_.url();
    {
      std::ofstream out(key_file_);
      out << kKey << "\n";
    }
    std::vector<std::string> auth = {"--auth=jwt", "--jwt_hs256_key_file=" + key_file_};
    if (durable) {
      StartReplica();
      auth.push_back("--redis_durable_replicas=1");
    }
    patient_ = std::make_unique<testing::ServiceProcess>("patient", url, auth);
    std::vector<std::string> protocol_args = auth;
    protocol_args.push_back("--patient_addr=" + patient_->address());
    protocol_args.insert(protocol_args.end(), protocol_extra.begin(), protocol_extra.end());
    protocol_ = std::make_unique<testing::ServiceProcess>("protocol", url, protocol_args);
    std::vector<std::string> scheduling_args = auth;
    scheduling_args.push_back("--patient_addr=" + patient_->address());
    scheduling_args.push_back("--protocol_addr=" + protocol_->address());
    scheduling_args.insert(scheduling_args.end(), scheduling_extra.begin(), scheduling_extra.end());
    scheduling_ = std::make_unique<testing::ServiceProcess>("scheduling", url, scheduling_args);
    auto options = common::ParseRedisUrl(url);
    if (!options.ok()) Fail("bad redis url");
    options->pool_size = 1;
    redis_client_ = std::make_unique<common::RedisClient>(*options);
  }

  std::string Token() const {
    absl::StatusOr<std::string> token =
        common::MintJwt({.organization = kOrganization,
                         .subject = "bench-practitioner",
                         .roles = {"reception", "practitioner", "clinic_admin"},
                         .expires_at = absl::Now() + absl::Hours(24)},
                        common::JwtAlgorithm::kHs256, kKey);
    if (!token.ok()) Fail(std::string(token.status().message()));
    return *token;
  }

  testing::ServiceProcess& patient() { return *patient_; }
  testing::ServiceProcess& protocol() { return *protocol_; }
  testing::ServiceProcess& scheduling() { return *scheduling_; }
  common::RedisClient& redis() { return *redis_client_; }
  // Each Redis primary, for its CPU (INFO cpu): one, or the cluster's three.
  std::vector<std::unique_ptr<common::RedisClient>> Primaries() {
    std::vector<std::unique_ptr<common::RedisClient>> out;
    std::vector<int> ports = {redis_.port()};
    if (cluster_) ports = cluster_->PrimaryPorts();
    for (int port : ports) {
      out.push_back(std::make_unique<common::RedisClient>(
          *common::ParseRedisUrl("redis://127.0.0.1:" + std::to_string(port) + "/0")));
    }
    return out;
  }

 private:
  void StartReplica() {
    const int port = testing::PickFreePort();
    // Redis waits 5 s for more replicas before a diskless sync by default.
    common::RedisClient primary(*common::ParseRedisUrl(redis_.url()));
    if (!primary.Command({"CONFIG", "SET", "repl-diskless-sync-delay", "0"}).ok()) {
      Fail("CONFIG SET on the primary failed");
    }
    replica_ = testing::StartServerProcess(
        {"redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--dir",
         dir_.path(), "--dbfilename", "replica.rdb", "--save", "", "--replicaof", "127.0.0.1",
         std::to_string(redis_.port())},
        dir_.path() + "/replica.log", port, "replica");
    for (int i = 0; i < 400; ++i) {
      auto wait = primary.Command({"WAIT", "1", "50"});
      if (wait.ok() && wait->integer() == 1) return;
    }
    Fail("the replica did not sync");
  }

  static constexpr char kKey[] = "booking-e2e-bench-hs256-key-0123456789abcdef";
  testing::TempDir dir_;
  std::string key_file_ = dir_.path() + "/jwt.key";
  testing::RedisServer redis_;
  std::unique_ptr<testing::RedisCluster> cluster_;
  std::unique_ptr<testing::ChildProcess> replica_;
  std::unique_ptr<testing::ServiceProcess> patient_;
  std::unique_ptr<testing::ServiceProcess> protocol_;
  std::unique_ptr<testing::ServiceProcess> scheduling_;
  std::unique_ptr<common::RedisClient> redis_client_;
};

// CPU of every process at one moment; `client` is this bench (its gRPC
// clients), not part of the booking's total.
struct CpuSnapshot {
  absl::Duration scheduling, protocol, patient, redis, client;
};

CpuSnapshot TakeCpu(Deployment& d) {
  absl::Duration redis_total;
  for (const std::unique_ptr<common::RedisClient>& primary : d.Primaries()) {
    absl::StatusOr<absl::Duration> redis = RedisCpu(*primary);
    if (!redis.ok()) Fail(absl::StrCat("INFO cpu: ", redis.status().message()));
    redis_total += *redis;
  }
  return {ProcessCpu(d.scheduling().process().pid()), ProcessCpu(d.protocol().process().pid()),
          ProcessCpu(d.patient().process().pid()), redis_total, ProcessCpu(getpid())};
}

struct Org {
  std::string clinic;
  std::string protocol;  // hydralift
  absl::Duration slot_stride;
  std::vector<std::string> practitioners;  // one per client
  std::vector<std::string> rooms;          // one per client
  std::vector<std::string> patients;
};

class Api {
 public:
  Api(Deployment& d, std::string token)
      : token_(std::move(token)),
        patients_(pv1::PatientService::NewStub(d.patient().channel())),
        protocols_(prv1::ProtocolService::NewStub(d.protocol().channel())),
        scheduling_(sv1::SchedulingService::NewStub(d.scheduling().channel())) {}

  void Prepare(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ctx->AddMetadata("authorization", "Bearer " + token_);
  }
  pv1::PatientService::Stub& patients() { return *patients_; }
  prv1::ProtocolService::Stub& protocols() { return *protocols_; }
  sv1::SchedulingService::Stub& scheduling() { return *scheduling_; }

 private:
  std::string token_;
  std::unique_ptr<pv1::PatientService::Stub> patients_;
  std::unique_ptr<prv1::ProtocolService::Stub> protocols_;
  std::unique_ptr<sv1::SchedulingService::Stub> scheduling_;
};

pv1::Patient NewPatient(int i) {
  pv1::Patient p;
  p.set_given_name("Bench");
  p.set_family_name(absl::StrCat("Patient", i));
  p.mutable_birth_date()->set_year(1984);
  p.mutable_birth_date()->set_month(5);
  p.mutable_birth_date()->set_day(17);
  p.set_locale("de");
  p.mutable_contact()->set_email(absl::StrCat("p", i, "@example.org"));
  pv1::MedicalProfile* m = p.mutable_medical_profile();
  m->set_pregnant(false);
  m->set_breastfeeding(false);
  m->set_diabetes(false);
  m->set_cancer_treatment(false);
  m->set_epilepsy(false);
  m->set_anticoagulants(false);
  m->set_has_allergies(false);
  return p;
}

Org SeedOrganization(Api& api, int clients, int patients) {
  Org org;
  prv1::SeedCatalogResponse seeded;
  {
    grpc::ClientContext ctx;
    api.Prepare(&ctx);
    Require(api.protocols().SeedCatalog(&ctx, {}, &seeded), "SeedCatalog");
  }
  absl::Duration session;
  for (const auto& p : seeded.created()) {
    if (p.source().catalog_key() == "mesotherapy_hydralift") {
      org.protocol = p.id();
      session = absl::Seconds(p.session_duration().seconds());
    }
  }
  if (org.protocol.empty()) Fail("no hydralift in the catalog");

  sv1::CreateClinicRequest clinic_req;
  clinic_req.set_request_id("bench-clinic");
  sv1::Clinic* c = clinic_req.mutable_clinic();
  c->set_display_name("Bench clinic");
  c->set_time_zone("Europe/Berlin");
  c->set_contact_phone("+49301234567");
  c->mutable_buffer()->set_seconds(600);
  testing::OpenEveryDay(*c);
  sv1::Clinic clinic;
  {
    grpc::ClientContext ctx;
    api.Prepare(&ctx);
    Require(api.scheduling().CreateClinic(&ctx, clinic_req, &clinic), "CreateClinic");
  }
  org.clinic = clinic.id();
  // Session plus buffer, rounded up to a quarter hour.
  org.slot_stride = absl::Ceil(session + absl::Minutes(10), absl::Minutes(15));

  for (int i = 0; i < clients; ++i) {
    sv1::CreatePractitionerRequest req;
    req.set_request_id(absl::StrCat("bench-practitioner-", i));
    sv1::Practitioner* p = req.mutable_practitioner();
    p->set_display_name(absl::StrCat("Dr. Bench ", i));
    p->add_clinic_ids(clinic.id());
    p->set_subject(absl::StrCat("bench-practitioner-", i));
    testing::WorkEveryDay(*p, clinic.id());
    sv1::Practitioner created;
    grpc::ClientContext ctx;
    api.Prepare(&ctx);
    Require(api.scheduling().CreatePractitioner(&ctx, req, &created), "CreatePractitioner");
    org.practitioners.push_back(created.id());

    sv1::CreateRoomRequest room_req;
    room_req.set_request_id(absl::StrCat("bench-room-", i));
    room_req.mutable_room()->set_clinic_id(clinic.id());
    room_req.mutable_room()->set_display_name(absl::StrCat("Room ", i));
    sv1::Room room;
    grpc::ClientContext room_ctx;
    api.Prepare(&room_ctx);
    Require(api.scheduling().CreateRoom(&room_ctx, room_req, &room), "CreateRoom");
    org.rooms.push_back(room.id());
  }
  for (int i = 0; i < patients; ++i) {
    pv1::CreatePatientRequest req;
    req.set_request_id(absl::StrCat("bench-patient-", i));
    *req.mutable_patient() = NewPatient(i);
    pv1::Patient created;
    grpc::ClientContext ctx;
    api.Prepare(&ctx);
    Require(api.patients().CreatePatient(&ctx, req, &created), "CreatePatient");
    org.patients.push_back(created.id());
  }
  return org;
}

// Slot j of every client: the same local times for all of them, one after
// another from tomorrow 08:00 within the opening hours 08:00-20:00.
class SlotTimes {
 public:
  explicit SlotTimes(absl::Duration stride) : stride_(stride) {
    absl::LoadTimeZone("Europe/Berlin", &tz_);
    first_day_ = absl::ToCivilDay(absl::Now(), tz_) + 1;
    per_day_ = static_cast<int>((absl::Hours(12) - stride_ + absl::Minutes(5)) / stride_) + 1;
  }
  absl::Time At(int j) const {
    const absl::CivilDay day = first_day_ + j / per_day_;
    const absl::CivilSecond start =
        absl::CivilSecond(day) + 8 * 3600 + (j % per_day_) * absl::ToInt64Seconds(stride_);
    return absl::FromCivil(start, tz_);
  }

 private:
  absl::Duration stride_;
  absl::TimeZone tz_;
  absl::CivilDay first_day_;
  int per_day_;
};

struct PhaseResult {
  int calls = 0;
  int errors = 0;
  absl::Duration wall;
  double p50_us = 0, p99_us = 0;
  CpuSnapshot cpu;  // deltas over the phase
};

// Runs `calls` calls over `clients` closed-loop threads; call(client, n)
// makes one (n counts that client's calls) and returns its status.
PhaseResult RunPhase(Deployment& d, int clients, int calls,
                     const std::function<grpc::Status(int, int)>& call) {
  const absl::Duration max_time = absl::GetFlag(FLAGS_max_phase_time);
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  std::vector<std::vector<absl::Duration>> latencies(clients);
  absl::Mutex error_mu;
  std::string first_error;
  const CpuSnapshot before = TakeCpu(d);
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int k = 0; k < clients; ++k) {
    threads.emplace_back([&, k] {
      int mine = 0;
      while (next.fetch_add(1) < calls && absl::Now() - start < max_time) {
        const absl::Time t0 = absl::Now();
        grpc::Status s = call(k, mine++);
        latencies[k].push_back(absl::Now() - t0);
        if (!s.ok()) {
          errors.fetch_add(1);
          absl::MutexLock lock(&error_mu);
          if (first_error.empty())
            first_error = absl::StrCat(s.error_code(), " ", s.error_message());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  PhaseResult r;
  r.wall = absl::Now() - start;
  const CpuSnapshot after = TakeCpu(d);
  r.cpu = {after.scheduling - before.scheduling, after.protocol - before.protocol,
           after.patient - before.patient, after.redis - before.redis,
           after.client - before.client};
  std::vector<absl::Duration> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  r.calls = static_cast<int>(all.size());
  r.errors = errors.load();
  if (!first_error.empty()) std::fprintf(stderr, "  first error: %s\n", first_error.c_str());
  if (!all.empty()) {
    auto at = [&](double q) {
      return absl::ToDoubleMicroseconds(all[static_cast<size_t>(q * (all.size() - 1))]);
    };
    r.p50_us = at(0.5);
    r.p99_us = at(0.99);
  }
  return r;
}

double PerCallUs(absl::Duration cpu, int calls) {
  return calls == 0 ? 0 : absl::ToDoubleMicroseconds(cpu) / calls;
}

struct Row {
  double rate, p50_us, p99_us, sched_us, proto_us, patient_us, redis_us, total_us, client_us;
};

Row ToRow(const PhaseResult& r) {
  Row row;
  row.rate = r.calls / absl::ToDoubleSeconds(r.wall);
  row.p50_us = r.p50_us;
  row.p99_us = r.p99_us;
  row.sched_us = PerCallUs(r.cpu.scheduling, r.calls);
  row.proto_us = PerCallUs(r.cpu.protocol, r.calls);
  row.patient_us = PerCallUs(r.cpu.patient, r.calls);
  row.redis_us = PerCallUs(r.cpu.redis, r.calls);
  row.total_us = row.sched_us + row.proto_us + row.patient_us + row.redis_us;
  row.client_us = PerCallUs(r.cpu.client, r.calls);
  return row;
}

void PrintRow(const std::string& what, const PhaseResult& r) {
  const Row row = ToRow(r);
  std::printf(
      "%-22s n=%-5d err=%-3d %7.0f/s  p50 %7.2f ms  p99 %7.2f ms  CPU/call us: sched %6.0f  "
      "proto %6.0f  patient %6.0f  redis %5.0f  total %6.0f  (client %4.0f)\n",
      what.c_str(), r.calls, r.errors, row.rate, row.p50_us / 1000, row.p99_us / 1000, row.sched_us,
      row.proto_us, row.patient_us, row.redis_us, row.total_us, row.client_us);
  std::fflush(stdout);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void ResetCommandStats(common::RedisClient& redis) {
  if (!redis.Command({"CONFIG", "RESETSTAT"}).ok()) Fail("CONFIG RESETSTAT failed");
}

// "evalsha 2.00 (61 us), get 2.00 (1 us), ..." from INFO commandstats: calls
// and Redis's own time per call of ours (a script's time includes its
// commands, which are also listed under their names).
std::string CommandsPerCall(common::RedisClient& redis, int calls) {
  absl::StatusOr<common::RedisReply> reply = redis.Command({"INFO", "commandstats"});
  if (!reply.ok() || calls == 0) return "?";
  std::string out;
  for (absl::string_view line : absl::StrSplit(reply->str(), "\r\n")) {
    // cmdstat_get:calls=3200,usec=4100,usec_per_call=1.28,...
    if (!absl::ConsumePrefix(&line, "cmdstat_")) continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    double n = 0;
    double usec = 0;
    for (absl::string_view field : absl::StrSplit(line.substr(colon + 1), ',')) {
      if (absl::ConsumePrefix(&field, "calls=")) (void)absl::SimpleAtod(field, &n);
      if (absl::ConsumePrefix(&field, "usec=")) (void)absl::SimpleAtod(field, &usec);
    }
    if (n / calls < 0.05) continue;  // the bench's own INFO, CONFIG
    absl::StrAppend(&out, out.empty() ? "" : ", ", line.substr(0, colon),
                    absl::StrFormat(" %.2f (%.0f us)", n / calls, usec / calls));
  }
  return out;
}

// One deployment seeded and ready to book: each client's next slot is kept
// across repetitions, so every booking takes a new slot.
class BookingTarget {
 public:
  BookingTarget(const std::vector<std::string>& protocol_extra,
                const std::vector<std::string>& scheduling_extra, int clients, bool durable = false,
                bool cluster = false)
      : deployment_(protocol_extra, scheduling_extra, durable, cluster),
        api_(deployment_, deployment_.Token()),
        org_(SeedOrganization(api_, clients, absl::GetFlag(FLAGS_patients))),
        slots_(org_.slot_stride),
        next_slot_(clients, 0) {
    get_clinic_.set_id(org_.clinic);
  }

  Deployment& deployment() { return deployment_; }

  grpc::Status Book(int k) {
    const int clients = static_cast<int>(next_slot_.size());
    const int j = next_slot_[k]++;
    sv1::BookAppointmentRequest req;
    // Client k holds patient (k + clients*j) mod n at slot j: at one time no
    // two clients share a patient.
    req.set_patient_id(org_.patients[(k + clients * j) % org_.patients.size()]);
    req.set_protocol_id(org_.protocol);
    req.set_clinic_id(org_.clinic);
    req.set_practitioner_id(org_.practitioners[k]);
    req.set_room_id(org_.rooms[k]);
    req.mutable_start_time()->set_seconds(absl::ToUnixSeconds(slots_.At(j)));
    req.set_request_id(absl::StrCat("bench-book-", k, "-", j));
    sv1::Appointment a;
    grpc::ClientContext ctx;
    api_.Prepare(&ctx);
    return api_.scheduling().BookAppointment(&ctx, req, &a);
  }

  grpc::Status GetClinic() {
    sv1::Clinic out;
    grpc::ClientContext ctx;
    api_.Prepare(&ctx);
    return api_.scheduling().GetClinic(&ctx, get_clinic_, &out);
  }

 private:
  Deployment deployment_;
  Api api_;
  Org org_;
  SlotTimes slots_;
  std::vector<int> next_slot_;  // per client
  sv1::GetClinicRequest get_clinic_;
};

void PrintMedians(const std::string& name, const std::vector<Row>& rows);
double MedianOf(const std::vector<Row>& rows, double Row::*field);

int Run() {
  const int clients = absl::GetFlag(FLAGS_clients);
  const int reps = absl::GetFlag(FLAGS_reps);
  const int bookings = absl::GetFlag(FLAGS_bookings);
  BookingTarget cached({}, {}, clients);
  std::unique_ptr<BookingTarget> uncached;
  if (absl::GetFlag(FLAGS_compare_uncached)) {
    uncached = std::make_unique<BookingTarget>(std::vector<std::string>{"--version_cache_size=0"},
                                               std::vector<std::string>{"--protocol_latest_ttl=0"},
                                               clients);
  }
  std::unique_ptr<BookingTarget> durable;
  if (absl::GetFlag(FLAGS_compare_durable)) {
    durable = std::make_unique<BookingTarget>(std::vector<std::string>{},
                                              std::vector<std::string>{}, clients, true);
  }
  std::unique_ptr<BookingTarget> clustered;
  if (absl::GetFlag(FLAGS_compare_cluster)) {
    clustered = std::make_unique<BookingTarget>(std::vector<std::string>{},
                                                std::vector<std::string>{}, clients, false, true);
  }
  auto booking_on = [](BookingTarget& t) { return [&t](int k, int) { return t.Book(k); }; };
  auto baseline = [&](int, int) { return cached.GetClinic(); };

  std::printf("booking_e2e_bench: %d clients, %d bookings and %d GetClinic per repetition\n",
              clients, bookings, absl::GetFlag(FLAGS_baseline_calls));
  // Warm-up: channels, caches, the allocator; not counted.
  RunPhase(cached.deployment(), clients, clients * 4, booking_on(cached));
  if (uncached) RunPhase(uncached->deployment(), clients, clients * 4, booking_on(*uncached));
  if (durable) RunPhase(durable->deployment(), clients, clients * 4, booking_on(*durable));
  if (clustered) RunPhase(clustered->deployment(), clients, clients * 4, booking_on(*clustered));
  RunPhase(cached.deployment(), clients, clients * 20, baseline);

  std::vector<Row> base_rows, book_rows, uncached_rows, durable_rows, cluster_rows;
  std::string commands;  // Redis commands per booking, last repetition
  for (int rep = 1; rep <= reps; ++rep) {
    const PhaseResult b =
        RunPhase(cached.deployment(), clients, absl::GetFlag(FLAGS_baseline_calls), baseline);
    PrintRow(absl::StrCat("rep ", rep, " GetClinic"), b);
    if (rep == reps) ResetCommandStats(cached.deployment().redis());
    const PhaseResult r = RunPhase(cached.deployment(), clients, bookings, booking_on(cached));
    PrintRow(absl::StrCat("rep ", rep, " BookAppt"), r);
    if (rep == reps) commands = CommandsPerCall(cached.deployment().redis(), r.calls);
    if (r.errors > 0 || b.errors > 0) Fail("calls failed (see the first error above)");
    base_rows.push_back(ToRow(b));
    book_rows.push_back(ToRow(r));
    if (uncached) {
      const PhaseResult u =
          RunPhase(uncached->deployment(), clients, bookings, booking_on(*uncached));
      PrintRow(absl::StrCat("rep ", rep, " BookAppt nocache"), u);
      if (u.errors > 0) Fail("calls failed (see the first error above)");
      uncached_rows.push_back(ToRow(u));
    }
    if (durable) {
      const PhaseResult d =
          RunPhase(durable->deployment(), clients, bookings, booking_on(*durable));
      PrintRow(absl::StrCat("rep ", rep, " BookAppt WAIT 1"), d);
      if (d.errors > 0) Fail("calls failed (see the first error above)");
      durable_rows.push_back(ToRow(d));
    }
    if (clustered) {
      const PhaseResult c =
          RunPhase(clustered->deployment(), clients, bookings, booking_on(*clustered));
      PrintRow(absl::StrCat("rep ", rep, " BookAppt cluster"), c);
      if (c.errors > 0) Fail("calls failed (see the first error above)");
      cluster_rows.push_back(ToRow(c));
    }
  }

  std::printf("\nMedians of %d repetitions at c=%d:\n", reps, clients);
  PrintMedians("GetClinic (baseline)", base_rows);
  PrintMedians("BookAppointment", book_rows);
  if (uncached) PrintMedians("BookAppt, no caches", uncached_rows);
  if (durable) PrintMedians("BookAppt, WAIT 1", durable_rows);
  if (clustered) PrintMedians("BookAppt, Cluster", cluster_rows);
  auto ratios = [&](const char* what, const std::vector<Row>& rows, const std::vector<Row>& base) {
    std::printf("%s: rate %.2fx  p50 %.1fx  p99 %.1fx  total CPU %.2fx\n", what,
                MedianOf(rows, &Row::rate) / MedianOf(base, &Row::rate),
                MedianOf(rows, &Row::p50_us) / MedianOf(base, &Row::p50_us),
                MedianOf(rows, &Row::p99_us) / MedianOf(base, &Row::p99_us),
                MedianOf(rows, &Row::total_us) / MedianOf(base, &Row::total_us));
  };
  ratios("BookAppointment / GetClinic", book_rows, base_rows);
  if (uncached) ratios("BookAppointment / no caches", book_rows, uncached_rows);
  if (durable) ratios("BookAppt WAIT 1 / BookAppointment", durable_rows, book_rows);
  if (clustered) ratios("BookAppt Cluster / BookAppointment", cluster_rows, book_rows);
  std::printf(
      "Redis commands per booking (last repetition, INFO commandstats; a script's own\n"
      "commands counted under their names as well): %s\n",
      commands.c_str());
  return 0;
}

double MedianOf(const std::vector<Row>& rows, double Row::*field) {
  std::vector<double> v;
  for (const Row& r : rows) v.push_back(r.*field);
  return Median(v);
}

void PrintMedians(const std::string& name, const std::vector<Row>& rows) {
  std::printf(
      "%-22s %7.0f/s  p50 %7.2f ms  p99 %7.2f ms  CPU/call us: sched %6.0f  proto %6.0f  "
      "patient %6.0f  redis %5.0f  total %6.0f  (client %4.0f)\n",
      name.c_str(), MedianOf(rows, &Row::rate), MedianOf(rows, &Row::p50_us) / 1000,
      MedianOf(rows, &Row::p99_us) / 1000, MedianOf(rows, &Row::sched_us),
      MedianOf(rows, &Row::proto_us), MedianOf(rows, &Row::patient_us),
      MedianOf(rows, &Row::redis_us), MedianOf(rows, &Row::total_us),
      MedianOf(rows, &Row::client_us));
}

}  // namespace
}  // namespace dermaflow::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return dermaflow::bench::Run();
}
