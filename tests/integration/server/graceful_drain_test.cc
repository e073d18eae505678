// SIGTERM while an RPC is in flight: health goes NOT_SERVING, the call still
// completes OK, and Serve() returns 0 well inside --drain_timeout.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "common/server/service_runtime.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace dermaflow::testing {
namespace {

using patient::v1::GetPatientRequest;
using patient::v1::Patient;

// A patient service whose GetPatient takes a while, so it is in flight when
// SIGTERM arrives.
class SlowService : public patient::v1::PatientService::Service {
 public:
  grpc::Status GetPatient(grpc::ServerContext*, const GetPatientRequest*, Patient* out) override {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    out->set_id("finished");
    return grpc::Status::OK;
  }
  std::promise<void> started;
};

TEST(GracefulDrainTest, SigtermLetsInFlightCallFinish) {
  RedisServer redis;
  int port = PickFreePort();
  std::vector<std::string> args = {"test",
                                   "--listen=127.0.0.1:" + std::to_string(port),
                                   "--metrics_listen=127.0.0.1:0",
                                   "--auth=none",
                                   "--redis=" + redis.url(),
                                   "--drain_timeout=5s"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto runtime = common::ServiceRuntime::Init({"drain-test", 0, 0}, argv.size(), argv.data());

  SlowService service;
  auto started = service.started.get_future();
  std::future<int> served =
      std::async(std::launch::async, [&] { return runtime->Serve({&service}); });
  ASSERT_TRUE(WaitForPort(port, std::chrono::seconds(10)));

  auto stub = patient::v1::PatientService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  std::future<grpc::Status> call = std::async(std::launch::async, [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    GetPatientRequest request;
    request.set_id("p1");
    Patient response;
    grpc::Status status = stub->GetPatient(&ctx, request, &response);
    EXPECT_EQ(response.id(), "finished");
    return status;
  });
  ASSERT_EQ(started.wait_for(std::chrono::seconds(10)), std::future_status::ready);

  auto t0 = std::chrono::steady_clock::now();
  kill(getpid(), SIGTERM);
  EXPECT_TRUE(call.get().ok());
  ASSERT_EQ(served.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(served.get(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

}  // namespace
}  // namespace dermaflow::testing
