#include "common/metrics/grpc_metrics_interceptor.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

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

// The series of one method, looked up in the families once per method
// instead of once per RPC: Family::Add hashes the label set under the
// family's mutex, which showed up as 4 look-ups per call.
class MethodSeries {
 public:
  MethodSeries(GrpcServerMetrics& metrics, prometheus::Labels labels)
      : metrics_(metrics),
        labels_(std::move(labels)),
        started_(&metrics.started.Add(labels_)),
        msg_received_(&metrics.msg_received.Add(labels_)),
        msg_sent_(&metrics.msg_sent.Add(labels_)),
        handling_seconds_(&metrics.handling_seconds.Add(labels_, GrpcHandlingBuckets())) {}

  prometheus::Counter& started() { return *started_; }
  prometheus::Counter& msg_received() { return *msg_received_; }
  prometheus::Counter& msg_sent() { return *msg_sent_; }
  prometheus::Histogram& handling_seconds() { return *handling_seconds_; }

  // The handled_total series of `code`, created on its first use so that
  // /metrics lists only the codes a method has returned.
  prometheus::Counter& handled(int code) {
    const size_t index =
        code >= 0 && code < static_cast<int>(kCodes) ? static_cast<size_t>(code) : kUnknownCode;
    prometheus::Counter* counter = handled_[index].load(std::memory_order_acquire);
    if (counter == nullptr) {
      prometheus::Labels with_code = labels_;
      with_code.emplace("grpc_code", GrpcCodeName(static_cast<int>(index)));
      counter = &metrics_.handled.Add(with_code);  // idempotent, so a race is harmless
      handled_[index].store(counter, std::memory_order_release);
    }
    return *counter;
  }

 private:
  static constexpr size_t kCodes = 17;       // OK .. UNAUTHENTICATED
  static constexpr size_t kUnknownCode = 2;  // grpc::StatusCode::UNKNOWN

  GrpcServerMetrics& metrics_;
  const prometheus::Labels labels_;
  prometheus::Counter* const started_;
  prometheus::Counter* const msg_received_;
  prometheus::Counter* const msg_sent_;
  prometheus::Histogram* const handling_seconds_;
  std::array<std::atomic<prometheus::Counter*>, kCodes> handled_{};
};

// One per RPC; its method's series come from the factory's cache.
class GrpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit GrpcMetricsInterceptor(MethodSeries& series)
      : series_(series), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = std::chrono::steady_clock::now();
      series_.started().Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      series_.msg_received().Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      series_.msg_sent().Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      series_.handling_seconds().Observe(elapsed.count());
      series_.handled(methods->GetSendStatus().error_code()).Increment();
    }
    methods->Proceed();
  }

 private:
  MethodSeries& series_;
  std::chrono::steady_clock::time_point start_;
};

class GrpcMetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcMetricsInterceptorFactory(prometheus::Registry& registry) : metrics_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new GrpcMetricsInterceptor(SeriesOf(info->method() ? info->method() : "", info->type()));
  }

 private:
  // Keyed by the method path as sent; SplitGrpcMethod folds unknown paths
  // into one label set, and the cache is bounded the same way (beyond
  // kMaxPaths distinct paths, the rest share the "unknown" entry).
  MethodSeries& SeriesOf(std::string_view path, ServerRpcInfo::Type type) {
    const auto key = std::make_pair(std::string(path), type);
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = series_.find(key);
      if (it != series_.end()) return *it->second;
    }
    absl::MutexLock lock(&mu_);
    auto it = series_.find(key);
    if (it != series_.end()) return *it->second;
    GrpcMethodLabels names = SplitGrpcMethod(path);
    const bool known = names.service != "unknown";
    if (!known || series_.size() >= kMaxPaths) {
      std::unique_ptr<MethodSeries>& unknown = unknown_[type];  // one per call type
      if (unknown == nullptr) {
        unknown = std::make_unique<MethodSeries>(
            metrics_, prometheus::Labels{{"grpc_service", "unknown"},
                                         {"grpc_method", "unknown"},
                                         {"grpc_type", std::string(GrpcTypeName(type))}});
      }
      return *unknown;
    }
    auto series = std::make_unique<MethodSeries>(
        metrics_, prometheus::Labels{{"grpc_service", std::move(names.service)},
                                     {"grpc_method", std::move(names.method)},
                                     {"grpc_type", std::string(GrpcTypeName(type))}});
    return *series_.emplace(key, std::move(series)).first->second;
  }

  static constexpr size_t kMaxPaths = 1000;

  GrpcServerMetrics metrics_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::pair<std::string, ServerRpcInfo::Type>, std::unique_ptr<MethodSeries>>
      series_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<ServerRpcInfo::Type, std::unique_ptr<MethodSeries>> unknown_
      ABSL_GUARDED_BY(mu_);
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
