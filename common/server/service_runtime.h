// What every service binary needs, built once from flags: Redis, the caller
// authenticator (which also applies the per-organization limits), the
// metrics registry, the clock, channels to other services, and Serve(),
// which runs the gRPC server until SIGTERM/SIGINT.
//
//   int main(int argc, char** argv) {
//     auto runtime = ServiceRuntime::Init({"patient", 50051, 9461}, argc, argv);
//     PatientGrpcService service(...runtime->redis()...);
//     return runtime->Serve({&service});
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/service_token_source.h"
#include "common/clock/clock.h"
#include "common/events/event_stream.h"
#include "common/metrics/grpc_client_interceptor.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/redis_prometheus_metrics.h"
#include "common/quota/call_admission.h"
#include "common/quota/tenant_limits.h"
#include "common/redis/redis_client.h"
#include "common/server/grpc_server.h"
#include "grpcpp/channel.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "prometheus/gauge.h"

namespace dermaflow::common {

struct ServiceIdentity {
  std::string name;  // "patient": logs, metrics, health
  int default_port;  // gRPC port when --listen is not given
  int default_metrics_port;
  // Request bodies above it are refused unparsed, unless
  // --max_receive_message_bytes says otherwise (docs/operations.md).
  int default_max_receive_message_bytes = kDefaultMaxReceiveMessageBytes;
  // The API the binary serves ("dermaflow.scheduling.v1.SchedulingService")
  // and those of its RPCs whose work grows with the data they read: at most
  // --org_expensive_in_flight of them run at once per organization
  // (common/quota/tenant_limits.h). Init exits 2 naming an RPC the API lacks.
  std::string api;
  std::vector<std::string> expensive_rpcs;
};

class ServiceRuntime {
 public:
  // Blocks SIGTERM/SIGINT (so Serve can wait for them), parses flags and
  // environment, connects the pieces. Exits 2 with a JSON log line naming the
  // problem when the configuration is wrong.
  static std::unique_ptr<ServiceRuntime> Init(ServiceIdentity identity, int argc, char** argv);

  const std::string& name() const { return identity_.name; }
  RedisClient& redis() { return *redis_; }
  const Authenticator& authenticator() const { return *authenticator_; }
  // The tenant limits, for RPCs whose caller is known from elsewhere than
  // an access token (an action token in the request): Admit after learning
  // the organization. authenticator() already does it for everything else.
  CallAdmission& admission() { return *admission_; }
  MetricsRegistry& metrics() { return *metrics_; }
  const Clock& clock() const { return SystemClock(); }
  // How the tenant event streams are trimmed (--event_stream_max_len).
  EventStreamOptions event_stream_options() const;

  // How to sign the calls this service makes on its own (no person's token
  // to forward), from --service_token_key_file; exits 2 when --auth=jwt has
  // no key to sign with. See common/auth/service_token_source.h.
  ServiceTokenOptions service_token_options() const;
  // The same for a service that can run without acting on its own
  // (scheduling's waitlist offers): the error instead of exiting.
  absl::StatusOr<ServiceTokenOptions> optional_service_token_options() const;

  // A channel to another dermaflow service, TLS when --tls_ca is set, with
  // grpc_client_* metrics and a log line for failed calls
  // (common/metrics/grpc_client_interceptor.h), and reads retried on
  // UNAVAILABLE (common/clients/retry_policy.h).
  std::shared_ptr<grpc::Channel> Connect(const std::string& address) const;

  // Called on shutdown, before the gRPC server drains (stop workers here).
  void OnShutdown(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }

  // Serves until SIGTERM/SIGINT: then health goes NOT_SERVING, in-flight RPCs
  // get --drain_timeout to finish, and the process returns 0. Every RPC that
  // goes through HandleRpc with authenticator() is admitted under the tenant
  // limits (--org_request_rate, --org_request_burst, --org_expensive_in_flight).
  int Serve(const std::vector<grpc::Service*>& services);

 private:
  explicit ServiceRuntime(ServiceIdentity identity) : identity_(std::move(identity)) {}

  ServiceIdentity identity_;
  // Declared before redis_: the client reports into them until destroyed.
  std::unique_ptr<MetricsRegistry> metrics_;
  std::unique_ptr<RedisPrometheusMetrics> redis_metrics_;
  // Outlives the channels Connect makes (they are the services' members).
  std::unique_ptr<GrpcClientMetrics> client_metrics_;
  prometheus::Gauge* redis_up_ = nullptr;
  std::unique_ptr<RedisClient> redis_;
  // Before authenticator_, which admits calls through them.
  std::unique_ptr<TenantLimits> tenant_limits_;
  std::unique_ptr<CallAdmission> admission_;
  std::unique_ptr<Authenticator> authenticator_;
  std::vector<std::function<void()>> shutdown_hooks_;
};

}  // namespace dermaflow::common
