#include "common/quota/call_admission.h"

#include <string>
#include <utility>

#include "absl/hash/hash.h"
#include "grpcpp/support/interceptor.h"

namespace dermaflow::common {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// Lives as long as its call (gRPC deletes it with the ServerContext).
class CallAdmission::CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(CallAdmission& admission, const grpc::ServerContextBase* ctx, const char* method)
      : admission_(admission), ctx_(ctx), method_(method != nullptr ? method : "") {
    admission_.Register(ctx_, this);
  }
  ~CallInterceptor() override {
    admission_.Unregister(ctx_);
    ReleaseSlot();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The handler is done: the next call of the organization may run.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      ReleaseSlot();
    }
    methods->Proceed();
  }

  // The registered method's path; gRPC keeps the string for the server's life.
  std::string_view method() const { return method_; }

  void Hold(OrgInFlightLimiter::Slot slot) {
    absl::MutexLock lock(&mu_);
    slot_ = std::move(slot);
  }

 private:
  void ReleaseSlot() {
    OrgInFlightLimiter::Slot released;
    absl::MutexLock lock(&mu_);
    released = std::move(slot_);
  }

  CallAdmission& admission_;
  const grpc::ServerContextBase* const ctx_;
  const std::string_view method_;
  absl::Mutex mu_;
  OrgInFlightLimiter::Slot slot_ ABSL_GUARDED_BY(mu_);
};

class CallAdmission::InterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit InterceptorFactory(CallAdmission& admission) : admission_(admission) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new CallInterceptor(admission_, info->server_context(), info->method());
  }

 private:
  CallAdmission& admission_;
};

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallAdmission::MakeInterceptorFactory() {
  return std::make_unique<InterceptorFactory>(*this);
}

CallAdmission::Shard& CallAdmission::ShardOf(const grpc::ServerContextBase* ctx) {
  // absl::Hash mixes the bits: contexts are aligned, so their low bits are
  // always the same.
  return shards_[absl::Hash<const void*>()(ctx) % kShards];
}

void CallAdmission::Register(const grpc::ServerContextBase* ctx, CallInterceptor* call) {
  Shard& shard = ShardOf(ctx);
  absl::MutexLock lock(&shard.mu);
  shard.calls[ctx] = call;
}

void CallAdmission::Unregister(const grpc::ServerContextBase* ctx) {
  Shard& shard = ShardOf(ctx);
  absl::MutexLock lock(&shard.mu);
  shard.calls.erase(ctx);
}

absl::Status CallAdmission::Admit(const grpc::ServerContextBase& ctx, const Caller& caller) {
  Shard& shard = ShardOf(&ctx);
  // The interceptor outlives the handler calling this, so the pointer stays
  // good after the lock is dropped.
  CallInterceptor* call = nullptr;
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.calls.find(&ctx);
    if (it != shard.calls.end()) call = it->second;
  }
  absl::StatusOr<OrgInFlightLimiter::Slot> slot =
      limits_.Admit(caller, call != nullptr ? call->method() : std::string_view());
  if (!slot.ok()) return slot.status();
  if (slot->held() && call != nullptr) call->Hold(*std::move(slot));
  return absl::OkStatus();
}

}  // namespace dermaflow::common
