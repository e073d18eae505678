#include "tests/support/fake_health_server.h"

#include <chrono>
#include <stdexcept>

#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace dermaflow::testing {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

grpc::Status FakeHealthServer::Service::Check(grpc::ServerContext*, const HealthCheckRequest* req,
                                              HealthCheckResponse* resp) {
  if (req->service() == "denied") {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "patient Jane Doe is not yours");
  }
  if (!req->service().empty()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such service");
  resp->set_status(HealthCheckResponse::SERVING);
  return grpc::Status::OK;
}

grpc::Status FakeHealthServer::Service::Watch(grpc::ServerContext*, const HealthCheckRequest*,
                                              grpc::ServerWriter<HealthCheckResponse>* writer) {
  HealthCheckResponse resp;
  resp.set_status(HealthCheckResponse::SERVING);
  writer->Write(resp);
  return grpc::Status::OK;
}

FakeHealthServer::FakeHealthServer(ServerInterceptorFactories interceptors) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service_);
  // Idle sync-server threads wake this often; the default (1 s) slows shutdown.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 10);
  if (!interceptors.empty()) builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) throw std::runtime_error("fake health server did not start");
  address_ = "127.0.0.1:" + std::to_string(port);
}

FakeHealthServer::~FakeHealthServer() { server_->Shutdown(std::chrono::system_clock::now()); }

grpc::Status CheckHealth(grpc::health::v1::Health::Stub& stub, const std::string& service) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  HealthCheckRequest req;
  req.set_service(service);
  HealthCheckResponse resp;
  return stub.Check(&ctx, req, &resp);
}

}  // namespace dermaflow::testing
