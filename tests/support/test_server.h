// Test support: real gRPC services served in-process on a free loopback port.
//
//   PatientGrpcService service(...);
//   TestServer server({&service});
//   auto stub = PatientService::NewStub(server.channel());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/server.h"

namespace dermaflow::testing {

class TestServer {
 public:
  explicit TestServer(const std::vector<grpc::Service*>& services);
  ~TestServer();  // Shuts the server down.

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // A fresh plaintext channel to the server.
  std::shared_ptr<grpc::Channel> channel() const;

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace dermaflow::testing
