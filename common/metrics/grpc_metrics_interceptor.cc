#include "common/metrics/grpc_metrics_interceptor.h"

#include <chrono>

#include "grpcpp/support/interceptor.h"
#include "prometheus/labels.h"

namespace dermaflow::common {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

std::string_view GrpcTypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

bool IsName(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// One per RPC; the labels of its method are resolved once.
class GrpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  GrpcMetricsInterceptor(GrpcServerMetrics& metrics, ServerRpcInfo* info)
      : metrics_(metrics), start_(std::chrono::steady_clock::now()) {
    GrpcMethodLabels names = SplitGrpcMethod(info->method() ? info->method() : "");
    labels_ = {{"grpc_service", std::move(names.service)},
               {"grpc_method", std::move(names.method)},
               {"grpc_type", std::string(GrpcTypeName(info->type()))}};
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      metrics_.started.Add(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      metrics_.msg_received.Add(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      metrics_.msg_sent.Add(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      metrics_.handling_seconds.Add(labels_, GrpcHandlingBuckets()).Observe(elapsed.count());
      prometheus::Labels with_code = labels_;
      with_code.emplace("grpc_code", GrpcCodeName(methods->GetSendStatus().error_code()));
      metrics_.handled.Add(with_code).Increment();
    }
    methods->Proceed();
  }

 private:
  GrpcServerMetrics& metrics_;
  prometheus::Labels labels_;
  std::chrono::steady_clock::time_point start_;
};

class GrpcMetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcMetricsInterceptorFactory(prometheus::Registry& registry) : metrics_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new GrpcMetricsInterceptor(metrics_, info);
  }

 private:
  GrpcServerMetrics metrics_;
};

}  // namespace

// go-grpc-prometheus' default buckets stop at 10 s; ours start at 0.5 ms
// because Redis-backed handlers are fast.
const prometheus::Histogram::BucketBoundaries& GrpcHandlingBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry)
    : started(prometheus::BuildCounter()
                  .Name("grpc_server_started_total")
                  .Help("Total number of RPCs started on the server.")
                  .Register(registry)),
      handled(prometheus::BuildCounter()
                  .Name("grpc_server_handled_total")
                  .Help("Total number of RPCs completed on the server, regardless of success or "
                        "failure.")
                  .Register(registry)),
      handling_seconds(prometheus::BuildHistogram()
                           .Name("grpc_server_handling_seconds")
                           .Help("Histogram of response latency (seconds) of gRPC that had been "
                                 "application-level handled by the server.")
                           .Register(registry)),
      msg_received(prometheus::BuildCounter()
                       .Name("grpc_server_msg_received_total")
                       .Help("Total number of RPC stream messages received on the server.")
                       .Register(registry)),
      msg_sent(prometheus::BuildCounter()
                   .Name("grpc_server_msg_sent_total")
                   .Help("Total number of gRPC stream messages sent by the server.")
                   .Register(registry)) {}

GrpcMethodLabels SplitGrpcMethod(std::string_view path) {
  // Unknown methods are labelled as one series so a client sending random
  // paths cannot grow the label set.
  if (path.size() < 2 || path[0] != '/') return {"unknown", "unknown"};
  size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos) return {"unknown", "unknown"};
  std::string_view service = path.substr(1, slash - 1);
  std::string_view method = path.substr(slash + 1);
  if (!IsName(service) || !IsName(method)) return {"unknown", "unknown"};
  return {std::string(service), std::string(method)};
}

std::string_view GrpcCodeName(int code) {
  // As Go's codes.Code.String() spells them, which go-grpc-prometheus uses.
  static constexpr std::string_view kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) return "Unknown";
  return kNames[code];
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeGrpcMetricsInterceptorFactory(prometheus::Registry& registry) {
  return std::make_unique<GrpcMetricsInterceptorFactory>(registry);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeGrpcMetricsInterceptorFactory(MetricsRegistry& metrics) {
  return MakeGrpcMetricsInterceptorFactory(metrics.registry());
}

}  // namespace dermaflow::common
