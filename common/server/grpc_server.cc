#include "common/server/grpc_server.h"

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/metrics/grpc_metrics_interceptor.h"
#include "common/server/unparsable_request_interceptor.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"

namespace dermaflow::common {

absl::StatusOr<StartedGrpcServer> StartGrpcServer(const GrpcServerOptions& options,
                                                  const std::vector<grpc::Service*>& services,
                                                  prometheus::Registry& metrics) {
  // Debian's Abseil is built without NDEBUG, which leaves absl::Mutex's
  // deadlock detection on: a lock-graph update on every lock of every mutex
  // (gRPC's own included), a few percent of a busy server's CPU. Tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  StartedGrpcServer started;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      options.listen, options.credentials ? options.credentials : grpc::InsecureServerCredentials(),
      &started.port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  // First: the metrics interceptor then sees the INVALID_ARGUMENT it sets.
  interceptors.push_back(MakeUnparsableRequestInterceptorFactory());
  interceptors.push_back(MakeGrpcMetricsInterceptorFactory(metrics));
  if (options.admission != nullptr)
    interceptors.push_back(options.admission->MakeInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  started.server = builder.BuildAndStart();
  if (!started.server)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  return started;
}

}  // namespace dermaflow::common
