// Latency of the protocol service over loopback, with a Redis PING round trip
// measured in the same run as the floor every number stands on.
//
// Starts a redis-server and the real dermaflow-patient and dermaflow-protocol
// binaries of this build (--auth=none), then times, one call at a time:
//   redis PING           RedisClient round trip (the baseline)
//   grpc health Check    gRPC round trip to the protocol service, no Redis
//   GetProtocol latest   one HMGET
//   GetProtocol v1       one HMGET of an older version
//   ScreenEligibility    HMGET + GetPatient(FULL) over gRPC + screening
//
//   build-protocol/bin/protocol_latency_bench [iterations=2000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace {

using namespace dermaflow;  // NOLINT: a benchmark main
using Clock = std::chrono::steady_clock;

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return ctx;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "failed: %s\n", what);
    std::exit(1);
  }
}

// Runs `call` `warmup` + `n` times and prints median, p90, p99 and max of
// the last n, in microseconds.
void Measure(const char* name, int n, const std::function<bool()>& call) {
  for (int i = 0; i < std::max(100, n / 10); ++i) Check(call(), name);
  std::vector<double> us;
  us.reserve(n);
  for (int i = 0; i < n; ++i) {
    auto start = Clock::now();
    Check(call(), name);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min<size_t>(us.size() - 1, q * us.size())]; };
  std::printf("%-22s %8d %10.0f %10.0f %10.0f %10.0f\n", name, n, at(0.5), at(0.9), at(0.99),
              us.back());
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;

  testing::RedisServer redis;
  testing::ServiceProcess patient_service("patient", redis.url());
  testing::ServiceProcess protocol_service("protocol", redis.url(),
                                           {"--patient_addr=" + patient_service.address()});
  common::RedisClient redis_client(*common::ParseRedisUrl(redis.url()));
  auto health = grpc::health::v1::Health::NewStub(protocol_service.channel());
  auto patients = patient::v1::PatientService::NewStub(patient_service.channel());
  auto protocols = protocol::v1::ProtocolService::NewStub(protocol_service.channel());

  // One patient and the catalog's hydralift (seeded by this first call).
  patient::v1::CreatePatientRequest create;
  create.set_request_id("bench-patient");
  auto* p = create.mutable_patient();
  p->set_given_name("Bench");
  p->set_family_name("Patient");
  p->mutable_birth_date()->set_year(1985);
  p->mutable_birth_date()->set_month(7);
  p->mutable_birth_date()->set_day(1);
  p->set_locale("de");
  auto* m = p->mutable_medical_profile();
  m->set_pregnant(false);
  m->set_breastfeeding(false);
  m->set_diabetes(false);
  m->set_cancer_treatment(false);
  m->set_epilepsy(true);  // so screening has a finding to write
  m->set_anticoagulants(false);
  m->set_has_allergies(false);
  patient::v1::Patient patient;
  Check(patients->CreatePatient(Ctx().get(), create, &patient).ok(), "CreatePatient");
  protocol::v1::ListProtocolsResponse listed;
  Check(protocols->ListProtocols(Ctx().get(), {}, &listed).ok(), "ListProtocols");
  std::string hydralift;
  for (const auto& proto : listed.protocols()) {
    if (proto.source().catalog_key() == "mesotherapy_hydralift") hydralift = proto.id();
  }
  Check(!hydralift.empty(), "hydralift in the catalog");

  std::printf("%-22s %8s %10s %10s %10s %10s\n", "call (us)", "n", "median", "p90", "p99", "max");
  Measure("redis PING", n, [&] { return redis_client.Ping().ok(); });
  Measure("grpc health Check", n, [&] {
    grpc::health::v1::HealthCheckResponse resp;
    return health->Check(Ctx().get(), {}, &resp).ok();
  });
  protocol::v1::GetProtocolRequest get;
  get.set_id(hydralift);
  Measure("GetProtocol latest", n, [&] {
    protocol::v1::Protocol resp;
    return protocols->GetProtocol(Ctx().get(), get, &resp).ok();
  });
  protocol::v1::GetProtocolRequest get_v1 = get;
  get_v1.set_version(1);
  Measure("GetProtocol v1", n, [&] {
    protocol::v1::Protocol resp;
    return protocols->GetProtocol(Ctx().get(), get_v1, &resp).ok();
  });
  protocol::v1::ScreenEligibilityRequest screen;
  screen.set_patient_id(patient.id());
  screen.set_protocol_id(hydralift);
  Measure("ScreenEligibility", n, [&] {
    protocol::v1::ScreenEligibilityResponse resp;
    return protocols->ScreenEligibility(Ctx().get(), screen, &resp).ok() && !resp.eligible();
  });
  return 0;
}
