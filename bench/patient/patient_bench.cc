// Latency of CreatePatient and GetPatient over loopback gRPC against a real
// redis-server, next to baselines measured in the same run: a raw Redis PING
// round trip and a gRPC round trip that never reaches Redis. Prints median,
// p99 and mean per operation.
//
//   build-patient/bin/patient_bench [N=2000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "common/auth/no_auth_authenticator.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/redis_patient_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_server.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `op` n times after n/10 warm-up runs; prints and returns nothing but
// the statistics line. `op` returns false on a failed call (counted).
void Measure(const char* name, int n, const std::function<bool(int)>& op) {
  for (int i = 0; i < n / 10; ++i) op(-1 - i);
  std::vector<double> micros;
  micros.reserve(n);
  int failures = 0;
  for (int i = 0; i < n; ++i) {
    const auto start = Clock::now();
    if (!op(i)) ++failures;
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  double sum = 0;
  for (double m : micros) sum += m;
  std::printf("%-44s n=%d  median %7.1f us  p99 %7.1f us  mean %7.1f us  failures %d\n", name, n,
              micros[micros.size() / 2], micros[static_cast<size_t>(micros.size() * 0.99)], sum / n,
              failures);
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return context;
}

int Run(int n) {
  dermaflow::testing::RedisServer redis_server;
  common::RedisClient redis(*common::ParseRedisUrl(redis_server.url()));
  RedisPatientStore store(redis, common::SystemClock());
  PatientManager manager(store, common::SystemClock());
  common::NoAuthAuthenticator authenticator("bench-clinic");
  PatientGrpcService service(manager, authenticator);
  dermaflow::testing::TestServer server({&service});
  auto stub = v1::PatientService::NewStub(server.channel());

  std::vector<std::string> ids;
  Measure("redis PING (baseline)", n, [&](int) { return redis.Ping().ok(); });
  Measure("gRPC round trip, no Redis (baseline)", n, [&](int) {
    v1::GetPatientRequest request;  // empty id: INVALID_ARGUMENT before any Redis call
    v1::Patient patient;
    return stub->GetPatient(Context().get(), request, &patient).error_code() ==
           grpc::StatusCode::INVALID_ARGUMENT;
  });
  Measure("CreatePatient", n, [&](int i) {
    v1::CreatePatientRequest request;
    *request.mutable_patient() = testing::ValidPatient();
    request.mutable_patient()->set_given_name("Bench" + std::to_string(i));
    request.set_request_id("bench-" + std::to_string(i));
    v1::Patient patient;
    const bool ok = stub->CreatePatient(Context().get(), request, &patient).ok();
    if (ok) ids.push_back(patient.id());
    return ok;
  });
  Measure("GetPatient BASIC", n, [&](int i) {
    v1::GetPatientRequest request;
    request.set_id(ids[(i < 0 ? -i : i * 7919) % ids.size()]);
    v1::Patient patient;
    return stub->GetPatient(Context().get(), request, &patient).ok();
  });
  Measure("GetPatient FULL (audited, Lua)", n, [&](int i) {
    v1::GetPatientRequest request;
    request.set_id(ids[(i < 0 ? -i : i * 7919) % ids.size()]);
    request.set_view(v1::PATIENT_VIEW_FULL);
    v1::Patient patient;
    return stub->GetPatient(Context().get(), request, &patient).ok();
  });
  return 0;
}

}  // namespace
}  // namespace dermaflow::patient

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (n < 10) {
    std::fprintf(stderr, "usage: %s [N >= 10]\n", argv[0]);
    return 2;
  }
  return dermaflow::patient::Run(n);
}
