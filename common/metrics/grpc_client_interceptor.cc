#include "common/metrics/grpc_client_interceptor.h"

#include <chrono>
#include <vector>

#include "common/logging/log.h"
#include "common/metrics/grpc_metrics_interceptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/interceptor.h"

namespace dermaflow::common {
namespace {

using grpc::experimental::ClientRpcInfo;
using grpc::experimental::InterceptionHookPoints;

std::string_view GrpcTypeName(ClientRpcInfo::Type type) {
  switch (type) {
    case ClientRpcInfo::Type::UNARY:
      return "unary";
    case ClientRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ClientRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ClientRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
    default:
      return "unknown";
  }
}

int CodeIndex(int code) {
  return code >= 0 && code < GrpcClientMetrics::kCodes ? code : grpc::StatusCode::UNKNOWN;
}

// One per call: the method's children are resolved once, when it is made.
class GrpcClientInterceptor : public grpc::experimental::Interceptor {
 public:
  GrpcClientInterceptor(GrpcClientMetrics& metrics, const std::string& address, ClientRpcInfo* info)
      : metrics_(metrics),
        address_(address),
        method_(
            metrics.ForMethod(info->method() ? info->method() : "", GrpcTypeName(info->type()))),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      method_.handling_seconds->Observe(elapsed.count());
      const grpc::Status* status = methods->GetRecvStatus();
      const int code = CodeIndex(status ? status->error_code() : grpc::StatusCode::UNKNOWN);
      metrics_.Handled(method_, code).Increment();
      if (code != grpc::StatusCode::OK) metrics_.OnFailure(method_, code, address_);
    }
    methods->Proceed();
  }

 private:
  GrpcClientMetrics& metrics_;
  const std::string& address_;
  GrpcClientMetrics::Method& method_;
  std::chrono::steady_clock::time_point start_;
};

class GrpcClientInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  GrpcClientInterceptorFactory(GrpcClientMetrics& metrics, std::string address)
      : metrics_(metrics), address_(std::move(address)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(ClientRpcInfo* info) override {
    return new GrpcClientInterceptor(metrics_, address_, info);
  }

 private:
  GrpcClientMetrics& metrics_;
  const std::string address_;
};

}  // namespace

GrpcClientMetrics::GrpcClientMetrics(prometheus::Registry& registry,
                                     absl::Duration failure_log_interval)
    : handled_(prometheus::BuildCounter()
                   .Name("grpc_client_handled_total")
                   .Help("Total number of RPCs completed by the client, regardless of success or "
                         "failure.")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_client_handling_seconds")
                            .Help("Histogram of response latency (seconds) of the gRPC until it is "
                                  "finished by the application.")
                            .Register(registry)),
      failure_log_interval_(failure_log_interval) {}

GrpcClientMetrics::Method& GrpcClientMetrics::ForMethod(std::string_view path,
                                                        std::string_view type) {
  {
    absl::ReaderMutexLock lock(&mu_);
    // Debian's Abseil has its own string_view, which the map hashes.
    auto it = methods_.find(absl::string_view(path.data(), path.size()));
    if (it != methods_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  auto [it, added] = methods_.try_emplace(std::string(path), nullptr);
  if (added) {
    // Paths are labelled through SplitGrpcMethod, so odd ones share one
    // "unknown" series instead of growing the label set.
    GrpcMethodLabels names = SplitGrpcMethod(path);
    auto method = std::make_unique<Method>();
    method->service = names.service;
    method->method = names.method;
    method->labels = {{"grpc_type", std::string(type)},
                      {"grpc_service", std::move(names.service)},
                      {"grpc_method", std::move(names.method)}};
    method->handling_seconds = &handling_seconds_.Add(method->labels, GrpcHandlingBuckets());
    for (auto& limiter : method->limiters) {
      limiter = std::make_unique<FailureLogLimiter>(failure_log_interval_);
    }
    it->second = std::move(method);
  }
  return *it->second;
}

prometheus::Counter& GrpcClientMetrics::Handled(Method& method, int code) {
  std::atomic<prometheus::Counter*>& slot = method.handled[CodeIndex(code)];
  prometheus::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Family::Add returns the same child for the same labels, so a race
    // here only costs a second lookup.
    prometheus::Labels labels = method.labels;
    labels.emplace("grpc_code", GrpcCodeName(CodeIndex(code)));
    counter = &handled_.Add(labels);
    slot.store(counter, std::memory_order_release);
  }
  return *counter;
}

void GrpcClientMetrics::OnFailure(Method& method, int code, const std::string& address) {
  std::optional<int64_t> suppressed = method.limiters[CodeIndex(code)]->ShouldLog(absl::Now());
  if (!suppressed) return;
  LogWarning("call to another service failed",
             {{"target_service", method.service},
              {"target_method", method.method},
              {"target", address},
              {"grpc_code", std::string(GrpcCodeName(CodeIndex(code)))},
              {"suppressed", std::to_string(*suppressed)}});
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>
MakeGrpcClientInterceptorFactory(GrpcClientMetrics& metrics, std::string address) {
  return std::make_unique<GrpcClientInterceptorFactory>(metrics, std::move(address));
}

std::shared_ptr<grpc::Channel> CreateInstrumentedChannel(
    const std::string& address, const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    GrpcClientMetrics& metrics, const grpc::ChannelArguments& args) {
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(MakeGrpcClientInterceptorFactory(metrics, address));
  return grpc::experimental::CreateCustomChannelWithInterceptors(address, credentials, args,
                                                                 std::move(interceptors));
}

}  // namespace dermaflow::common
