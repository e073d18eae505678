// The authenticator ServiceRuntime hands to every service: it authenticates
// the caller with the configured authenticator and then admits the caller's
// organization under the tenant limits (call_admission.h), so every handler
// that goes through HandleRpc is limited without a line of its own. An
// unknown caller stays UNAUTHENTICATED; a known one over a limit gets
// RESOURCE_EXHAUSTED with QuotaFailure.
//
//   auto auth = std::make_unique<AdmittingAuthenticator>(std::move(jwt), admission);
//   PatientGrpcService service(manager, *auth);
#pragma once

#include <memory>

#include "common/auth/authenticator.h"
#include "common/quota/call_admission.h"

namespace dermaflow::common {

class AdmittingAuthenticator : public Authenticator {
 public:
  // `admission` must outlive this.
  AdmittingAuthenticator(std::unique_ptr<Authenticator> inner, CallAdmission& admission)
      : inner_(std::move(inner)), admission_(admission) {}

  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& ctx) const override;

 private:
  const std::unique_ptr<Authenticator> inner_;
  CallAdmission& admission_;
};

}  // namespace dermaflow::common
