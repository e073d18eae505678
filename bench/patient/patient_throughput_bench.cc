// GetPatient throughput and tail latency at c closed-loop clients, against an
// in-run floor: a bare callback-API echo server in this program that does the
// same Redis read (HMGET of the same four fields of the same hash, on its own
// per-thread hiredis connection) and the same decode, with no auth, metrics or
// pool. The real service runs in-process, built by the server bootstrap that
// production uses (common/server/grpc_server.h), with a RedisClient reporting
// to Prometheus, the per-organization limits at their defaults (one tenant:
// admitted, but paying for the admission; --tenant_limits=off leaves them
// out) and, by default, RS256 tokens checked against a JWKS file.
// Runs are A/B interleaved; each row prints rps, p50, p99, bench-process CPU
// per call, and the medians' ratios to the echo floor.
//
//   build/bin/patient_throughput_bench [--seconds=2] [--reps=3] [--clients=16,64]
//                                      [--auth=jwt|none] [--pool_size=N] [--token_cache=N]
//                                      [--handler_threads=N] [--tenant_limits=on|off]
#include <hiredis/hiredis.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/authenticator.h"
#include "common/auth/jwks.h"
#include "common/auth/jwt_minter.h"
#include "common/metrics/redis_prometheus_metrics.h"
#include "common/quota/admitting_authenticator.h"
#include "common/quota/call_admission.h"
#include "common/quota/tenant_limits.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "common/server/grpc_server.h"
#include "common/server/handler_executor.h"
#include "common/server/server_flags.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "prometheus/registry.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/redis_patient_store.h"
#include "tests/support/redis_server.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kOrg[] = "bench-clinic";
constexpr int kPatients = 1000;
constexpr int kChannels = 4;

struct Config {
  double seconds = 2;
  int reps = 3;
  std::vector<int> clients = {16, 64};
  std::string auth = "jwt";
  int pool_size = 0;          // 0: the services' default, --redis_pool_size
  int64_t token_cache = -1;   // -1: the services' default, --jwt_cache_size
  int handler_threads = 0;    // 0: inline on gRPC's threads (patient's default)
  bool tenant_limits = true;  // admission as ServiceRuntime wires it
};

// The floor: GetPatient as a bare callback-API handler. One hiredis
// connection per gRPC thread, so it pays no pool, metrics or auth.
class EchoService final : public v1::PatientService::CallbackService {
 public:
  explicit EchoService(int redis_port) : redis_port_(redis_port) {}

  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* ctx,
                                       const v1::GetPatientRequest* request,
                                       v1::Patient* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(Read(request->id(), response));
    return reactor;
  }

 private:
  grpc::Status Read(const std::string& id, v1::Patient* response) {
    thread_local redisContext* redis = nullptr;
    if (redis == nullptr) redis = redisConnect("127.0.0.1", redis_port_);
    const std::string key = *common::TenantKey(kOrg, "patient", id);
    auto* reply = static_cast<redisReply*>(
        redisCommand(redis, "HMGET %b data etag erase_time request_fp", key.data(), key.size()));
    if (reply == nullptr) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis");
    grpc::Status status;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4 ||
        reply->element[0]->type != REDIS_REPLY_STRING) {
      status = grpc::Status(grpc::StatusCode::NOT_FOUND, "no such patient");
    } else if (!response->ParseFromArray(reply->element[0]->str,
                                         static_cast<int>(reply->element[0]->len))) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, "bad record");
    } else {
      response->set_etag(reply->element[1]->str, reply->element[1]->len);
      response->clear_medical_profile();
    }
    freeReplyObject(reply);
    return status;
  }

  const int redis_port_;
};

common::JwsKey NewRsaKey() {
  EVP_PKEY* raw = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, raw, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  common::JwsKey key = *common::PrivateKeyFromPem(std::string(data, size));
  BIO_free(bio);
  EVP_PKEY_free(raw);
  key.kid = "bench-rsa-1";
  return key;
}

struct RunResult {
  double rps = 0;
  double p50_us = 0;
  double p99_us = 0;
  double cpu_us_per_call = 0;
  long failures = 0;
};

double Percentile(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(sorted.size() * q))];
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// `clients` closed-loop callers, each with its own token (people reuse a
// token for its lifetime), spread over kChannels connections.
RunResult Drive(const std::string& address, int clients, double seconds,
                const std::vector<std::string>& tokens, const std::vector<std::string>& ids) {
  std::vector<std::unique_ptr<v1::PatientService::Stub>> stubs;
  for (int i = 0; i < kChannels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("dermaflow.bench.channel", i);  // a connection of its own
    stubs.push_back(v1::PatientService::NewStub(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
  }
  auto call = [&](int client, int i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!tokens.empty()) context.AddMetadata("authorization", "Bearer " + tokens[client]);
    v1::GetPatientRequest request;
    request.set_id(ids[(client * 7919 + i) % ids.size()]);
    v1::Patient patient;
    return stubs[client % kChannels]->GetPatient(&context, request, &patient).ok();
  };
  for (int c = 0; c < clients; ++c) call(c, 0);  // connect and warm up

  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> micros(clients);
  std::vector<long> failures(clients, 0);
  std::vector<std::thread> threads;
  threads.reserve(clients);
  const double cpu_start = ProcessCpuSeconds();
  const auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      micros[c].reserve(200000);
      for (int i = 1; !stop.load(std::memory_order_relaxed); ++i) {
        const auto t0 = Clock::now();
        if (!call(c, i)) ++failures[c];
        micros[c].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = ProcessCpuSeconds() - cpu_start;

  std::vector<double> all;
  RunResult result;
  for (int c = 0; c < clients; ++c) {
    all.insert(all.end(), micros[c].begin(), micros[c].end());
    result.failures += failures[c];
  }
  std::sort(all.begin(), all.end());
  result.rps = all.size() / elapsed;
  result.p50_us = Percentile(all, 0.50);
  result.p99_us = Percentile(all, 0.99);
  result.cpu_us_per_call = all.empty() ? 0 : cpu * 1e6 / all.size();
  return result;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void PrintRow(const char* name, int clients, const RunResult& r) {
  std::printf("  %-10s c=%-3d %8.0f rps  p50 %7.0f us  p99 %7.0f us  cpu %5.0f us/call%s\n", name,
              clients, r.rps, r.p50_us, r.p99_us, r.cpu_us_per_call,
              r.failures ? "  FAILURES" : "");
  if (r.failures) std::printf("    failures: %ld\n", r.failures);
  std::fflush(stdout);
}

int Run(const Config& config) {
  dermaflow::testing::RedisServer redis_server;
  prometheus::Registry registry;
  common::RedisPrometheusMetrics redis_metrics(registry);
  common::RedisOptions redis_options = *common::ParseRedisUrl(redis_server.url());
  redis_options.pool_size =
      config.pool_size > 0 ? config.pool_size : absl::GetFlag(FLAGS_redis_pool_size);
  common::RedisClient redis(redis_options, &redis_metrics);
  RedisPatientStore store(redis, common::SystemClock());
  PatientManager manager(store, common::SystemClock());

  // Production-like auth: RS256 people's tokens checked against a JWKS.
  const common::JwsKey key = NewRsaKey();
  const std::string jwks_file = redis_server.dir() + "/jwks.json";
  std::ofstream(jwks_file) << *common::JwksJson({key});
  const int64_t cache_size =
      config.token_cache >= 0 ? config.token_cache : absl::GetFlag(FLAGS_jwt_cache_size);
  std::unique_ptr<common::Authenticator> authenticator =
      *common::MakeAuthenticator({.mode = config.auth,
                                  .jwks_file = jwks_file,
                                  .dev_organization = kOrg,
                                  .token_cache = {.max_entries = static_cast<size_t>(cache_size),
                                                  .ttl = absl::GetFlag(FLAGS_jwt_cache_ttl)}});
  std::vector<std::string> tokens;
  if (config.auth == "jwt") {
    for (int c = 0; c < 256; ++c) {
      tokens.push_back(*common::MintJwt({.organization = kOrg,
                                         .subject = "reception-" + std::to_string(c),
                                         .roles = {"reception"},
                                         .expires_at = absl::Now() + absl::Hours(1)},
                                        key));
    }
  }

  const int handler_threads = config.handler_threads;
  std::unique_ptr<common::HandlerExecutor> executor;
  if (handler_threads > 0) executor = std::make_unique<common::HandlerExecutor>(handler_threads);
  // The limits as every binary has them (flags' defaults, patient's
  // expensive RPCs); the bench's one organization stays under them.
  common::TenantLimits limits(
      {.request_rate = absl::GetFlag(FLAGS_org_request_rate),
       .request_burst = absl::GetFlag(FLAGS_org_request_burst),
       .expensive_in_flight = absl::GetFlag(FLAGS_org_expensive_in_flight),
       .expensive_methods = {"/dermaflow.patient.v1.PatientService/ListPatients",
                             "/dermaflow.patient.v1.PatientService/ExportPatient",
                             "/dermaflow.patient.v1.PatientService/ListAuditEntries"}},
      common::SystemClock(), registry);
  common::CallAdmission admission(limits);
  if (config.tenant_limits) {
    authenticator =
        std::make_unique<common::AdmittingAuthenticator>(std::move(authenticator), admission);
  }
  PatientGrpcService service(manager, *authenticator, executor.get());
  auto started = common::StartGrpcServer(
      {.listen = "127.0.0.1:0", .admission = config.tenant_limits ? &admission : nullptr},
      {&service}, registry);
  if (!started.ok()) {
    std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
    return 1;
  }
  const std::string service_address = "127.0.0.1:" + std::to_string(started->port);

  EchoService echo(redis_server.port());
  int echo_port = 0;
  grpc::ServerBuilder echo_builder;
  echo_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &echo_port);
  echo_builder.RegisterService(&echo);
  std::unique_ptr<grpc::Server> echo_server = echo_builder.BuildAndStart();
  const std::string echo_address = "127.0.0.1:" + std::to_string(echo_port);

  common::Caller seeder{.organization = kOrg, .subject = "bench", .roles = {"practitioner"}};
  std::vector<std::string> ids;
  for (int i = 0; i < kPatients; ++i) {
    v1::CreatePatientRequest request;
    *request.mutable_patient() = testing::ValidPatient();
    request.mutable_patient()->set_given_name("Bench" + std::to_string(i));
    request.set_request_id("bench-" + std::to_string(i));
    absl::StatusOr<v1::Patient> patient = manager.Create(seeder, request);
    if (!patient.ok()) {
      std::fprintf(stderr, "seeding: %s\n", patient.status().ToString().c_str());
      return 1;
    }
    ids.push_back(patient->id());
  }

  std::printf(
      "GetPatient BASIC, %d patients, auth=%s, token cache %lld, redis pool_size=%d, handler "
      "threads %d, tenant limits %s, %.1f s per run, %d reps\n",
      kPatients, config.auth.c_str(), static_cast<long long>(cache_size), redis.options().pool_size,
      handler_threads, config.tenant_limits ? "on" : "off", config.seconds, config.reps);
  bool all_ok = true;
  for (int clients : config.clients) {
    std::map<std::string, std::vector<RunResult>> runs;
    for (int rep = 0; rep < config.reps; ++rep) {
      // A/B interleaved, the order alternating per rep.
      for (int k = 0; k < 2; ++k) {
        const bool echo_turn = (k == 0) == (rep % 2 == 0);
        const char* name = echo_turn ? "echo" : "GetPatient";
        RunResult r = Drive(echo_turn ? echo_address : service_address, clients, config.seconds,
                            echo_turn ? std::vector<std::string>() : tokens, ids);
        all_ok = all_ok && r.failures == 0;
        PrintRow(name, clients, r);
        runs[name].push_back(r);
      }
    }
    auto median = [&](const std::string& name, double RunResult::*field) {
      std::vector<double> values;
      for (const RunResult& r : runs[name]) values.push_back(r.*field);
      return Median(values);
    };
    const double rps_ratio =
        median("GetPatient", &RunResult::rps) / median("echo", &RunResult::rps);
    const double p99_ratio =
        median("GetPatient", &RunResult::p99_us) / median("echo", &RunResult::p99_us);
    std::printf(
        "c=%-3d medians  echo %6.0f rps p99 %6.0f us cpu %4.0f us | GetPatient %6.0f rps p50 %6.0f "
        "us p99 %6.0f us cpu %4.0f us | rps ratio %.2fx (target >= 0.8)  p99 ratio %.2fx (target "
        "<= 1.5)\n",
        clients, median("echo", &RunResult::rps), median("echo", &RunResult::p99_us),
        median("echo", &RunResult::cpu_us_per_call), median("GetPatient", &RunResult::rps),
        median("GetPatient", &RunResult::p50_us), median("GetPatient", &RunResult::p99_us),
        median("GetPatient", &RunResult::cpu_us_per_call), rps_ratio, p99_ratio);
    std::fflush(stdout);
  }
  started->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  echo_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return all_ok ? 0 : 1;
}

bool ParseArgs(int argc, char** argv, Config* config) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--seconds=")) {
      if (!absl::SimpleAtod(arg, &config->seconds) || config->seconds <= 0) return false;
    } else if (absl::ConsumePrefix(&arg, "--reps=")) {
      if (!absl::SimpleAtoi(arg, &config->reps) || config->reps < 1) return false;
    } else if (absl::ConsumePrefix(&arg, "--clients=")) {
      config->clients.clear();
      for (absl::string_view part : absl::StrSplit(arg, ',')) {
        int n = 0;
        if (!absl::SimpleAtoi(part, &n) || n < 1 || n > 256) return false;
        config->clients.push_back(n);
      }
    } else if (absl::ConsumePrefix(&arg, "--auth=")) {
      config->auth = std::string(arg);
      if (config->auth != "jwt" && config->auth != "none") return false;
    } else if (absl::ConsumePrefix(&arg, "--handler_threads=")) {
      if (!absl::SimpleAtoi(arg, &config->handler_threads) || config->handler_threads < 0) {
        return false;
      }
    } else if (absl::ConsumePrefix(&arg, "--token_cache=")) {
      if (!absl::SimpleAtoi(arg, &config->token_cache) || config->token_cache < 0) return false;
    } else if (absl::ConsumePrefix(&arg, "--tenant_limits=")) {
      if (arg != "on" && arg != "off") return false;
      config->tenant_limits = arg == "on";
    } else if (absl::ConsumePrefix(&arg, "--pool_size=")) {
      if (!absl::SimpleAtoi(arg, &config->pool_size) || config->pool_size < 1) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace dermaflow::patient

int main(int argc, char** argv) {
  dermaflow::patient::Config config;
  if (!dermaflow::patient::ParseArgs(argc, argv, &config)) {
    std::fprintf(stderr,
                 "usage: %s [--seconds=2] [--reps=3] [--clients=16,64] [--auth=jwt|none] "
                 "[--pool_size=N] [--token_cache=N] [--handler_threads=N] "
                 "[--tenant_limits=on|off]\n",
                 argv[0]);
    return 2;
  }
  return dermaflow::patient::Run(config);
}
