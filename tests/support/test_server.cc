#include "tests/support/test_server.h"

#include <stdexcept>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace dermaflow::testing {

TestServer::TestServer(const std::vector<grpc::Service*>& services) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  for (auto* s : services) builder.RegisterService(s);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) throw std::runtime_error("TestServer: could not start");
}

TestServer::~TestServer() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

std::shared_ptr<grpc::Channel> TestServer::channel() const {
  return grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
}

}  // namespace dermaflow::testing
