// gRPC server RED metrics with the names and labels of go-grpc-prometheus, so
// the standard Grafana dashboards work unchanged:
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type} (histogram)
//   grpc_server_msg_received_total / grpc_server_msg_sent_total
// Labels come from the method path only, never from request data.
//
//   std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> v;
//   v.push_back(MakeGrpcMetricsInterceptorFactory(metrics));
//   builder.experimental().SetInterceptorCreators(std::move(v));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/metrics/metrics_registry.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

// The families, declared in one place.
struct GrpcServerMetrics {
  explicit GrpcServerMetrics(prometheus::Registry& registry);

  prometheus::Family<prometheus::Counter>& started;
  prometheus::Family<prometheus::Counter>& handled;
  prometheus::Family<prometheus::Histogram>& handling_seconds;
  prometheus::Family<prometheus::Counter>& msg_received;
  prometheus::Family<prometheus::Counter>& msg_sent;
};

// "/dermaflow.patient.v1.PatientService/GetPatient" ->
// {"dermaflow.patient.v1.PatientService", "GetPatient"}; anything else ->
// {"unknown", "unknown"}.
struct GrpcMethodLabels {
  std::string service;
  std::string method;
};
GrpcMethodLabels SplitGrpcMethod(std::string_view path);

// "OK", "InvalidArgument", "NotFound", ...: the code names go-grpc-prometheus
// exports (Go's spelling), which the stock dashboards and our alert rules in
// deploy/prometheus match on.
std::string_view GrpcCodeName(int code);

// Buckets of grpc_server_handling_seconds and grpc_client_handling_seconds.
const prometheus::Histogram::BucketBoundaries& GrpcHandlingBuckets();

// The server must be destroyed before `metrics` (the families live in it).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeGrpcMetricsInterceptorFactory(MetricsRegistry& metrics);
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeGrpcMetricsInterceptorFactory(prometheus::Registry& registry);

}  // namespace dermaflow::common
