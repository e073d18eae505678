#include "services/notification/patient_directory.h"

#include <chrono>

#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace dermaflow::notification {

using dermaflow::patient::v1::ConsentState;

GrpcPatientDirectory::GrpcPatientDirectory(std::shared_ptr<grpc::Channel> channel, common::ServiceTokenSource& auth,
                                           const common::Clock& clock,
                                           GrpcPatientDirectoryOptions options)
    : stub_(dermaflow::patient::v1::PatientService::NewStub(std::move(channel))),
      auth_(auth),
      clock_(clock),
      options_(options) {}

absl::StatusOr<PatientPrefs> GrpcPatientDirectory::Fetch(const std::string& org,
                                                         const std::string& patient_id) {
  dermaflow::patient::v1::GetPatientRequest request;
  request.set_id(patient_id);
  request.set_view(dermaflow::patient::v1::PatientView::PATIENT_VIEW_BASIC);
  absl::Status status;
  // GetPatient is a read: one retry rides out a dropped connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     absl::ToChronoMilliseconds(options_.deadline));
    if (absl::Status s = auth_.Authorize(org, &ctx); !s.ok()) return s;
    dermaflow::patient::v1::Patient patient;
    status = common::FromGrpcStatus(stub_->GetPatient(&ctx, request, &patient));
    if (status.ok()) return PatientPrefs::From(patient);
    if (absl::IsNotFound(status)) {
      PatientPrefs gone;
      gone.exists = false;
      return gone;
    }
    if (!absl::IsUnavailable(status)) break;
  }
  return status;
}

absl::StatusOr<PatientPrefs> GrpcPatientDirectory::Get(const std::string& org,
                                                       const std::string& patient_id, bool fresh) {
  const auto key = std::make_pair(org, patient_id);
  const absl::Time now = clock_.Now();
  if (!fresh) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.second > now) return it->second.first;
  }
  absl::StatusOr<PatientPrefs> prefs = Fetch(org, patient_id);
  if (!prefs.ok()) return prefs;
  std::lock_guard<std::mutex> lock(mu_);
  // A full cache starts over: simpler than LRU, and the TTL is short anyway.
  if (cache_.size() >= options_.max_cached) cache_.clear();
  cache_[key] = {*prefs, now + options_.cache_ttl};
  return prefs;
}

void GrpcPatientDirectory::Forget(const std::string& org, const std::string& patient_id) {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.erase(std::make_pair(org, patient_id));
}

PatientPrefs LocalPatientDirectory::Anonymous(const std::string& locale) {
  PatientPrefs p;
  p.locale = locale;
  p.preferred = PatientChannel::CHANNEL_EMAIL;
  p.consents[PatientChannel::CHANNEL_EMAIL] = ConsentState::CONSENT_STATE_GIVEN;
  p.email = "patient@localhost.invalid";
  return p;
}

}  // namespace dermaflow::notification
