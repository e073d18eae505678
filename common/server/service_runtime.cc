#include "common/server/service_runtime.h"

#include <algorithm>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/clients/retry_policy.h"
#include "common/config/config_error.h"
#include "common/config/flags.h"
#include "common/logging/library_logs.h"
#include "common/logging/log.h"
#include "common/quota/admitting_authenticator.h"
#include "common/redis/redis_options.h"
#include "common/server/build_info.h"
#include "common/server/grpc_server.h"
#include "common/server/health_monitor.h"
#include "common/server/server_flags.h"
#include "common/server/shutdown_signal.h"
#include "common/server/tls_credentials.h"
#include "common/status/macros.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"

namespace dermaflow::common {
namespace {

template <typename T>
T OrExit(absl::StatusOr<T> value) {
  return OrExitWithConfigError(std::move(value));
}

TlsFiles TlsFilesFromFlags() {
  return TlsFiles{absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
                  absl::GetFlag(FLAGS_tls_client_ca), absl::GetFlag(FLAGS_tls_ca)};
}

AuthOptions AuthOptionsFromFlags() {
  return AuthOptions{
      .mode = absl::GetFlag(FLAGS_auth),
      .hs256_key_file = absl::GetFlag(FLAGS_jwt_hs256_key_file),
      .rs256_public_key_file = absl::GetFlag(FLAGS_jwt_rs256_public_key_file),
      .jwks_url = absl::GetFlag(FLAGS_jwt_jwks_url),
      .jwks_file = absl::GetFlag(FLAGS_jwt_jwks_file),
      .jwks_ca_file = absl::GetFlag(FLAGS_jwt_jwks_ca_file),
      .jwks_refresh_interval = absl::GetFlag(FLAGS_jwt_jwks_refresh_interval),
      .jwks_min_refresh_interval = absl::GetFlag(FLAGS_jwt_jwks_min_refresh_interval),
      .issuer = absl::GetFlag(FLAGS_jwt_issuer),
      .audience = absl::GetFlag(FLAGS_jwt_audience),
      .claims = {.organization = absl::GetFlag(FLAGS_jwt_org_claim),
                 .roles = absl::GetFlag(FLAGS_jwt_roles_claim)},
      .service_public_key_file = absl::GetFlag(FLAGS_service_token_public_key_file),
      .dev_organization = absl::GetFlag(FLAGS_dev_organization),
      .token_cache = {.max_entries = static_cast<size_t>(
                          std::max<int64_t>(0, absl::GetFlag(FLAGS_jwt_cache_size))),
                      .ttl = absl::GetFlag(FLAGS_jwt_cache_ttl)}};
}

// dermaflow_jwks_loads_total{result} and dermaflow_jwks_keys: a provider that
// stops answering shows up on the dashboard and in an alert, not only in logs.
std::function<void(const absl::Status&, size_t)> JwksLoadMetrics(prometheus::Registry& registry) {
  auto& loads = prometheus::BuildCounter()
                    .Name("dermaflow_jwks_loads_total")
                    .Help("Loads of the identity provider's JWKS, by result (ok, error)")
                    .Register(registry);
  prometheus::Counter* ok = &loads.Add({{"result", "ok"}});
  prometheus::Counter* error = &loads.Add({{"result", "error"}});
  prometheus::Gauge* keys =
      &prometheus::BuildGauge()
           .Name("dermaflow_jwks_keys")
           .Help("Signing keys in the identity provider's JWKS as last loaded")
           .Register(registry)
           .Add({});
  return [ok, error, keys](const absl::Status& status, size_t count) {
    if (status.ok()) {
      ok->Increment();
      keys->Set(static_cast<double>(count));
    } else {
      error->Increment();
    }
  };
}

// The tenant limits from the flags; the expensive RPCs as method paths of
// the service's API, each checked against its descriptor.
absl::StatusOr<TenantLimitOptions> TenantLimitOptionsFromFlags(const ServiceIdentity& identity) {
  TenantLimitOptions options{.request_rate = absl::GetFlag(FLAGS_org_request_rate),
                             .request_burst = absl::GetFlag(FLAGS_org_request_burst),
                             .expensive_in_flight = absl::GetFlag(FLAGS_org_expensive_in_flight)};
  DF_RETURN_IF_ERROR(ValidateTenantLimitOptions(options));
  if (identity.expensive_rpcs.empty()) return options;
  const google::protobuf::ServiceDescriptor* api =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(identity.api);
  if (api == nullptr) return absl::InvalidArgumentError("unknown API " + identity.api);
  for (const std::string& rpc : identity.expensive_rpcs) {
    if (api->FindMethodByName(rpc) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(identity.api, " has no RPC ", rpc));
    }
    options.expensive_methods.push_back(absl::StrCat("/", identity.api, "/", rpc));
  }
  return options;
}

std::string OrDefaultAddress(const std::string& flag_value, int default_port) {
  return flag_value.empty() ? absl::StrCat("0.0.0.0:", default_port) : flag_value;
}

}  // namespace

std::unique_ptr<ServiceRuntime> ServiceRuntime::Init(ServiceIdentity identity, int argc,
                                                     char** argv) {
  BlockShutdownSignals();
  ParseFlagsWithEnvironment(
      argc, argv,
      absl::StrCat("dermaflow-", identity.name, ": the dermaflow ", identity.name,
                   " service. Every flag may also be set as DERMAFLOW_<FLAG>."));
  SetLogServiceName(identity.name);
  RouteLibraryLogs();
  LogLevel level;
  if (!ParseLogLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    ExitWithConfigError(
        absl::InvalidArgumentError("--log_level: use debug, info, warning or error"));
  }
  SetMinLogLevel(level);
  if (absl::GetFlag(FLAGS_event_stream_max_len) <= 0) {
    ExitWithConfigError(absl::InvalidArgumentError("--event_stream_max_len must be positive"));
  }

  std::unique_ptr<ServiceRuntime> runtime(new ServiceRuntime(std::move(identity)));
  runtime->metrics_ = OrExit(MetricsRegistry::Create(OrDefaultAddress(
      absl::GetFlag(FLAGS_metrics_listen), runtime->identity_.default_metrics_port)));
  runtime->redis_metrics_ = std::make_unique<RedisPrometheusMetrics>(runtime->metrics_->registry());
  runtime->client_metrics_ = std::make_unique<GrpcClientMetrics>(runtime->metrics_->registry());
  RegisterBuildInfo(runtime->metrics_->registry(), runtime->identity_.name);
  runtime->redis_up_ = &prometheus::BuildGauge()
                            .Name("dermaflow_redis_up")
                            .Help("1 while Redis answers PING (health is SERVING), else 0")
                            .Register(runtime->metrics_->registry())
                            .Add({});
  RedisOptions redis_options = OrExit(ParseRedisUrl(absl::GetFlag(FLAGS_redis)));
  if (!absl::GetFlag(FLAGS_redis_password).empty()) {
    redis_options.password = absl::GetFlag(FLAGS_redis_password);
  }
  redis_options.pool_size = absl::GetFlag(FLAGS_redis_pool_size);
  redis_options.durable_replicas = absl::GetFlag(FLAGS_redis_durable_replicas);
  redis_options.durable_timeout = absl::GetFlag(FLAGS_redis_durable_timeout);
  runtime->redis_ = OrExit(RedisClient::Create(redis_options, runtime->redis_metrics_.get()));
  AuthOptions auth = AuthOptionsFromFlags();
  auth.on_jwks_load = JwksLoadMetrics(runtime->metrics_->registry());
  runtime->tenant_limits_ =
      std::make_unique<TenantLimits>(OrExit(TenantLimitOptionsFromFlags(runtime->identity_)),
                                     runtime->clock(), runtime->metrics_->registry());
  runtime->admission_ = std::make_unique<CallAdmission>(*runtime->tenant_limits_);
  runtime->authenticator_ = std::make_unique<AdmittingAuthenticator>(
      OrExit(MakeAuthenticator(auth)), *runtime->admission_);
  return runtime;
}

ServiceTokenOptions ServiceRuntime::service_token_options() const {
  return ServiceTokenOptions{
      .service = identity_.name,
      .key = OrExit(
          ServiceSigningKey(AuthOptionsFromFlags(), absl::GetFlag(FLAGS_service_token_key_file)))};
}

absl::StatusOr<ServiceTokenOptions> ServiceRuntime::optional_service_token_options() const {
  absl::StatusOr<std::optional<JwsKey>> key =
      ServiceSigningKey(AuthOptionsFromFlags(), absl::GetFlag(FLAGS_service_token_key_file));
  if (!key.ok()) return key.status();
  return ServiceTokenOptions{.service = identity_.name, .key = *std::move(key)};
}

EventStreamOptions ServiceRuntime::event_stream_options() const {
  EventStreamOptions options;
  options.max_len = absl::GetFlag(FLAGS_event_stream_max_len);
  return options;
}

std::shared_ptr<grpc::Channel> ServiceRuntime::Connect(const std::string& address) const {
  auto credentials = OrExit(MakeChannelCredentials(TlsFilesFromFlags()));
  return CreateInstrumentedChannel(address, credentials, *client_metrics_,
                                   RetryingChannelArguments());
}

int ServiceRuntime::Serve(const std::vector<grpc::Service*>& services) {
  std::string listen = OrDefaultAddress(absl::GetFlag(FLAGS_listen), identity_.default_port);
  const int max_receive = absl::GetFlag(FLAGS_max_receive_message_bytes);
  GrpcServerOptions server_options{
      .listen = listen,
      .credentials = OrExit(MakeServerCredentials(TlsFilesFromFlags())),
      .max_receive_message_bytes =
          max_receive > 0 ? max_receive : identity_.default_max_receive_message_bytes,
      .admission = admission_.get()};
  StartedGrpcServer started =
      OrExit(StartGrpcServer(server_options, services, metrics_->registry()));
  std::unique_ptr<grpc::Server> server = std::move(started.server);
  const int bound_port = started.port;

  // Optional plaintext health-only server for kubelet probes when TLS is on.
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  if (!absl::GetFlag(FLAGS_health_listen).empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(absl::GetFlag(FLAGS_health_listen),
                                    grpc::InsecureServerCredentials(), &health_port);
    health_server = health_builder.BuildAndStart();
    if (!health_server) {
      ExitWithConfigError(absl::UnavailableError("cannot listen on --health_listen"));
    }
  }

  std::vector<grpc::HealthCheckServiceInterface*> health_targets = {
      server->GetHealthCheckService()};
  if (health_server) health_targets.push_back(health_server->GetHealthCheckService());
  HealthMonitor health(health_targets, [this] {
    bool up = redis_->Ping().ok();
    redis_up_->Set(up ? 1 : 0);
    return up;
  });

  LogInfo("serving", {{"grpc_port", std::to_string(bound_port)},
                      {"metrics_port", std::to_string(metrics_->port())},
                      {"health_port", std::to_string(health_port)},
                      {"auth", absl::GetFlag(FLAGS_auth)},
                      {"tls", absl::GetFlag(FLAGS_tls_cert).empty() ? "off" : "on"},
                      {"version", std::string(GetBuildInfo().version)},
                      {"revision", std::string(GetBuildInfo().revision)}});

  int signal_number = WaitForShutdownSignal();
  LogInfo("shutting down", {{"signal", std::to_string(signal_number)}});
  health.ShutDown();
  for (auto& hook : shutdown_hooks_) hook();
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_drain_timeout)));
  if (health_server) health_server->Shutdown();
  LogInfo("stopped");
  return 0;
}

}  // namespace dermaflow::common
