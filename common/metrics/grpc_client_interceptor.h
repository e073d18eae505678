// gRPC client metrics and failure logging for calls from one dermaflow
// service to another, as a client interceptor on every channel that
// ServiceRuntime::Connect makes. Names and labels are go-grpc-prometheus'
// client ones, so stock dashboards work:
//   grpc_client_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_client_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
// grpc_service/grpc_method name the *called* service and method. Every
// failed call is logged as "call to another service failed" with the target
// (service, method, address) and the code: the first of a burst, then at
// most one line per failure_log_interval per (service, method, code) with
// the number left out. Never the request, the response or the status
// message, which can echo patient data.
//
//   GrpcClientMetrics client_metrics(metrics->registry());  // once per process
//   auto channel = CreateInstrumentedChannel("patient:50051", credentials, client_metrics);
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/failure_log_limiter.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

// The families and, per called method, the label children and log limiters
// (made on the method's first call, then found without building a string).
// Shared by all channels of a process; must outlive them.
class GrpcClientMetrics {
 public:
  explicit GrpcClientMetrics(prometheus::Registry& registry,
                             absl::Duration failure_log_interval = absl::Seconds(30));

  GrpcClientMetrics(const GrpcClientMetrics&) = delete;
  GrpcClientMetrics& operator=(const GrpcClientMetrics&) = delete;

  static constexpr int kCodes = 17;  // OK .. UNAUTHENTICATED

  struct Method {
    std::string service;
    std::string method;
    prometheus::Labels labels;  // grpc_type, grpc_service, grpc_method
    prometheus::Histogram* handling_seconds = nullptr;
    std::array<std::atomic<prometheus::Counter*>, kCodes> handled{};
    std::array<std::unique_ptr<FailureLogLimiter>, kCodes> limiters;
  };

  // `path` is "/package.Service/Method"; `type` go-grpc-prometheus' grpc_type.
  Method& ForMethod(std::string_view path, std::string_view type);
  prometheus::Counter& Handled(Method& method, int code);
  // Logs a failed call when its limiter lets it through.
  void OnFailure(Method& method, int code, const std::string& address);

 private:
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  const absl::Duration failure_log_interval_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
};

// One interceptor per call, for the channel to `address` (used in logs only).
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>
MakeGrpcClientInterceptorFactory(GrpcClientMetrics& metrics, std::string address);

// A channel to `address` with the interceptor and `args`; what
// ServiceRuntime::Connect returns, with common/clients/retry_policy.h's
// arguments (tests build theirs the same way).
std::shared_ptr<grpc::Channel> CreateInstrumentedChannel(
    const std::string& address, const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    GrpcClientMetrics& metrics, const grpc::ChannelArguments& args = grpc::ChannelArguments());

}  // namespace dermaflow::common
