// Test support: a grpc.health.v1.Health server on a free loopback port whose
// answers the test knows, for checking what sits around a call (metrics
// interceptors, client channels) rather than the call itself:
// Check("") SERVING, Check("denied") PERMISSION_DENIED (its message names a
// patient, so tests can prove logs and labels never carry it), any other
// service NOT_FOUND; Watch sends one SERVING update.
//
//   FakeHealthServer server(std::move(interceptor_factories));
//   auto stub = grpc::health::v1::Health::NewStub(
//       grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
//   EXPECT_TRUE(CheckHealth(*stub, "").ok());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_interceptor.h"

namespace dermaflow::testing {

using ServerInterceptorFactories =
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>;

class FakeHealthServer {
 public:
  // Throws std::runtime_error if the server does not start.
  explicit FakeHealthServer(ServerInterceptorFactories interceptors = {});
  ~FakeHealthServer();
  FakeHealthServer(const FakeHealthServer&) = delete;
  FakeHealthServer& operator=(const FakeHealthServer&) = delete;

  // "127.0.0.1:PORT"
  const std::string& address() const { return address_; }

 private:
  class Service : public grpc::health::v1::Health::Service {
    grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest* req,
                       grpc::health::v1::HealthCheckResponse* resp) override;
    grpc::Status Watch(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                       grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;
  };

  Service service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

// One Check of `service` with a 10 s deadline.
grpc::Status CheckHealth(grpc::health::v1::Health::Stub& stub, const std::string& service);

}  // namespace dermaflow::testing
