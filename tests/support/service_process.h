// Test support: one dermaflow service binary started as a real process on
// free loopback ports, with a health client.
//
//   ServiceProcess patient("patient", redis.url());
//   EXPECT_EQ(patient.Health(), HealthCheckResponse::SERVING);
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/process.h"

namespace dermaflow::testing {

class ServiceProcess {
 public:
  // Starts build/bin/dermaflow-<name> with --listen/--metrics_listen on free
  // ports, --redis=redis_url, --auth=none unless extra_args say otherwise.
  // Waits until the gRPC port accepts connections. `credentials` are for
  // channel() (TLS/mTLS suites); nullptr means plaintext.
  ServiceProcess(std::string name, std::string redis_url, std::vector<std::string> extra_args = {},
                 std::map<std::string, std::string> env = {},
                 std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr);

  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  std::string address() const;
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  ChildProcess& process() { return *process_; }

  // grpc.health.v1 Check for `service` ("" = overall); UNKNOWN on RPC error.
  grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& service = "");
  // Polls Health() until it equals `want` or the timeout passes.
  bool WaitForHealth(grpc::health::v1::HealthCheckResponse::ServingStatus want,
                     std::chrono::milliseconds timeout);

 private:
  std::string name_;
  int grpc_port_;
  int metrics_port_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace dermaflow::testing
