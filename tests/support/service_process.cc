#include "tests/support/service_process.h"

#include <thread>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"

namespace dermaflow::testing {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

ServiceProcess::ServiceProcess(std::string name, std::string redis_url,
                               std::vector<std::string> extra_args,
                               std::map<std::string, std::string> env,
                               std::shared_ptr<grpc::ChannelCredentials> credentials)
    : name_(std::move(name)), grpc_port_(PickFreePort()), metrics_port_(PickFreePort()) {
  std::vector<std::string> argv = {std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-" + name_,
                                   "--listen=127.0.0.1:" + std::to_string(grpc_port_),
                                   "--metrics_listen=127.0.0.1:" + std::to_string(metrics_port_),
                                   "--redis=" + redis_url};
  bool auth_given = false;
  for (const auto& a : extra_args) auth_given |= a.rfind("--auth", 0) == 0;
  if (!auth_given) argv.push_back("--auth=none");
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, dir_.path() + "/" + name_ + ".log", env);
  if (!process_->WaitUntilListening(grpc_port_, std::chrono::seconds(15))) {
    throw std::runtime_error(name_ + " did not start: " + process_->ReadLog());
  }
  channel_ = grpc::CreateChannel(address(),
                                 credentials ? credentials : grpc::InsecureChannelCredentials());
}

std::string ServiceProcess::address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }

HealthCheckResponse::ServingStatus ServiceProcess::Health(const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  if (!stub->Check(&ctx, request, &response).ok()) return HealthCheckResponse::UNKNOWN;
  return response.status();
}

bool ServiceProcess::WaitForHealth(HealthCheckResponse::ServingStatus want,
                                   std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Health() == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace dermaflow::testing
