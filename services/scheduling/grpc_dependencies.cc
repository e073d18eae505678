#include "services/scheduling/grpc_dependencies.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/cord.h"
#include "absl/time/clock.h"
#include "common/auth/token_forwarding.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/client_context.h"
#include "services/scheduling/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

constexpr size_t kMaxCachedProtocols = 4096;

void Prepare(const CallContext& call, absl::Duration timeout, grpc::ClientContext& out) {
  auto deadline = std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout);
  if (call.server_context != nullptr) {
    common::ForwardAuth(*call.server_context, &out, "scheduling");
    deadline = std::min(deadline, call.server_context->deadline());
  }
  out.set_deadline(deadline);
}

// Runs `rpc(context)` with a fresh context; on UNAVAILABLE (e.g. a connect
// that failed under load) twice more after a short pause. Only reads go
// through here, so repeating them is safe.
template <typename Rpc>
absl::Status CallWithRetry(const CallContext& call, absl::Duration timeout, Rpc rpc) {
  constexpr absl::Duration kBackoff[] = {absl::Milliseconds(20), absl::Milliseconds(100)};
  absl::Status status;
  for (int attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    Prepare(call, timeout, context);
    status = common::FromGrpcStatus(rpc(context));
    if (status.code() != absl::StatusCode::kUnavailable || attempt == 2) break;
    absl::SleepFor(kBackoff[attempt]);
  }
  return status;
}

// NOT_FOUND from another service, with ResourceInfo naming `id` added when
// that service sent none (a booking names several ids; the caller must learn
// which one is unknown). Its ErrorInfo (e.g. PATIENT_ERASED) is kept.
absl::Status NameMissing(absl::Status status, const std::string& type, const std::string& id) {
  constexpr char kResourceInfo[] = "type.googleapis.com/google.rpc.ResourceInfo";
  if (!absl::IsNotFound(status) || status.GetPayload(kResourceInfo).has_value()) return status;
  google::rpc::ResourceInfo info;
  info.set_resource_type(type);
  info.set_resource_name(id);
  status.SetPayload(kResourceInfo, absl::Cord(info.SerializeAsString()));
  return status;
}

}  // namespace

GrpcProtocolDirectory::GrpcProtocolDirectory(std::shared_ptr<grpc::Channel> channel,
                                             absl::Duration timeout)
    : stub_(protocol::v1::ProtocolService::NewStub(std::move(channel))), timeout_(timeout) {}

void GrpcProtocolDirectory::Remember(const std::string& org, const protocol::v1::Protocol& p) {
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCachedProtocols) cache_.clear();
  cache_[{org, p.id(), p.version()}] = p;
}

absl::StatusOr<protocol::v1::Protocol> GrpcProtocolDirectory::GetProtocol(const CallContext& call,
                                                                          const std::string& id,
                                                                          int64_t version) {
  const std::string& org = call.caller.organization;
  if (version > 0) {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find({org, id, version});
    if (it != cache_.end()) return it->second;
  }
  protocol::v1::GetProtocolRequest request;
  request.set_id(id);
  request.set_version(version);
  protocol::v1::Protocol protocol;
  absl::Status status = CallWithRetry(call, timeout_, [&](grpc::ClientContext& context) {
    return stub_->GetProtocol(&context, request, &protocol);
  });
  if (!status.ok()) return NameMissing(status, kProtocolType, id);
  Remember(org, protocol);
  return protocol;
}

absl::StatusOr<protocol::v1::ScreenEligibilityResponse> GrpcProtocolDirectory::Screen(
    const CallContext& call, const protocol::v1::ScreenEligibilityRequest& request) {
  protocol::v1::ScreenEligibilityResponse response;
  absl::Status status = CallWithRetry(call, timeout_, [&](grpc::ClientContext& context) {
    return stub_->ScreenEligibility(&context, request, &response);
  });
  // NOT_FOUND here is the patient (the protocol was just read).
  if (!status.ok()) return NameMissing(status, kPatientType, request.patient_id());
  return response;
}

GrpcPatientDirectory::GrpcPatientDirectory(std::shared_ptr<grpc::Channel> channel,
                                           absl::Duration timeout)
    : stub_(patient::v1::PatientService::NewStub(std::move(channel))), timeout_(timeout) {}

absl::Status GrpcPatientDirectory::CheckPatient(const CallContext& call, const std::string& id) {
  patient::v1::GetPatientRequest request;
  request.set_id(id);
  request.set_view(patient::v1::PATIENT_VIEW_BASIC);
  patient::v1::Patient patient;
  return NameMissing(CallWithRetry(call, timeout_,
                                   [&](grpc::ClientContext& context) {
                                     return stub_->GetPatient(&context, request, &patient);
                                   }),
                     kPatientType, id);
}

}  // namespace dermaflow::scheduling
