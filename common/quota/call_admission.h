// Runs TenantLimits on every RPC of a server in one place, although no single
// hook knows everything the limits need:
// - a server interceptor sees each call's method and when it ends, but not
//   its organization (that takes the verified token), and a gRPC 1.51 server
//   interceptor cannot answer a call itself;
// - HandleRpc, which every handler goes through, learns the organization by
//   authenticating, but a ServerContextBase has no method().
// So the interceptor (MakeInterceptorFactory, installed by StartGrpcServer)
// notes each call's method under its ServerContext and, once the status is
// on its way, releases what the call held; and Admit, called right after
// authentication (AdmittingAuthenticator), looks the method up and asks
// TenantLimits. A call nobody admits (health, reflection) costs one map
// insert and erase.
//
//   CallAdmission admission(limits);
//   server_options.admission = &admission;                      // the interceptor
//   AdmittingAuthenticator auth(std::move(inner), admission);   // the check
#pragma once

#include <array>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/caller.h"
#include "common/quota/tenant_limits.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace dermaflow::common {

class CallAdmission {
 public:
  // `limits` must outlive this; this must outlive the servers it serves.
  explicit CallAdmission(TenantLimits& limits) : limits_(limits) {}

  // One per server (gRPC owns the factory).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory();

  // Admits the call of `ctx` for the authenticated `caller` (see
  // TenantLimits::Admit); an admitted expensive call keeps its slot until
  // its status is sent. A call the interceptor did not see is judged by
  // the rate limit alone.
  absl::Status Admit(const grpc::ServerContextBase& ctx, const Caller& caller);

 private:
  class CallInterceptor;
  class InterceptorFactory;

  // The calls in progress, sharded by context so concurrent calls rarely
  // meet on one mutex.
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<const grpc::ServerContextBase*, CallInterceptor*> calls ABSL_GUARDED_BY(mu);
  };
  static constexpr size_t kShards = 16;
  Shard& ShardOf(const grpc::ServerContextBase* ctx);
  void Register(const grpc::ServerContextBase* ctx, CallInterceptor* call);
  void Unregister(const grpc::ServerContextBase* ctx);

  TenantLimits& limits_;
  std::array<Shard, kShards> shards_;
};

}  // namespace dermaflow::common
