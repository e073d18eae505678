#include "services/protocol/patient_reader.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/auth/token_forwarding.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "services/protocol/protocol_errors.h"

namespace dermaflow::protocol {
namespace {

// GetPatient is a read, so retrying it is safe: a restarting patient pod or
// a dropped connection should not fail a screening.
constexpr int kMaxAttempts = 3;
constexpr auto kBackoff = std::chrono::milliseconds(50);

}  // namespace

GrpcPatientReader::GrpcPatientReader(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(patient::v1::PatientService::NewStub(std::move(channel))), timeout_(timeout) {}

absl::StatusOr<patient::v1::Patient> GrpcPatientReader::ReadForScreening(
    const grpc::ServerContext& caller, const std::string& patient_id) const {
  const auto deadline = std::min(
      caller.deadline(), std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  patient::v1::GetPatientRequest request;
  request.set_id(patient_id);
  request.set_view(patient::v1::PATIENT_VIEW_FULL);

  absl::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    grpc::ClientContext ctx;
    ctx.set_deadline(deadline);
    common::ForwardAuth(caller, &ctx, "protocol");
    patient::v1::Patient patient;
    status = common::FromGrpcStatus(stub_->GetPatient(&ctx, request, &patient));
    if (status.ok()) return patient;
    if (status.code() != absl::StatusCode::kUnavailable ||
        std::chrono::system_clock::now() + kBackoff * attempt >= deadline) {
      break;
    }
    std::this_thread::sleep_for(kBackoff * attempt);
  }
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return PatientNotFoundError(status);
    case absl::StatusCode::kInvalidArgument:
      return common::InvalidArgumentError("patient_id", std::string(status.message()));
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      // Screening never answers without the profile; the caller retries.
      return absl::UnavailableError(
          absl::StrCat("patient service unavailable: ", status.message()));
    default:
      return status;
  }
}

}  // namespace dermaflow::protocol
