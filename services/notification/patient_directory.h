// The patients' current preferences (locale, time zone, channel, consents,
// quiet hours, first name, contact), read when a reminder is delivered —
// consent may have changed since it was planned. The gRPC directory asks the
// patient service (GetPatient, BASIC view) and keeps answers for a short
// TTL; a patient the service does not know (erased) reads as exists=false.
//
//   GrpcPatientDirectory patients(runtime->Connect(addr), auth, clock, {});
//   DF_ASSIGN_OR_RETURN(PatientPrefs p, patients.Get(org, patient_id));
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "services/notification/dispatch_policy.h"
#include "common/auth/service_token_source.h"

namespace dermaflow::notification {

class PatientDirectory {
 public:
  virtual ~PatientDirectory() = default;
  // `fresh` skips the cache (consent changes). UNAVAILABLE and
  // DEADLINE_EXCEEDED when the patient service cannot answer.
  virtual absl::StatusOr<PatientPrefs> Get(const std::string& org, const std::string& patient_id,
                                           bool fresh = false) = 0;
  // Drops a cached copy (the patient changed).
  virtual void Forget(const std::string& org, const std::string& patient_id) = 0;
};

struct GrpcPatientDirectoryOptions {
  absl::Duration cache_ttl = absl::Seconds(30);
  absl::Duration deadline = absl::Seconds(2);
  size_t max_cached = 100'000;
};

class GrpcPatientDirectory : public PatientDirectory {
 public:
  GrpcPatientDirectory(std::shared_ptr<grpc::Channel> channel, common::ServiceTokenSource& auth,
                       const common::Clock& clock, GrpcPatientDirectoryOptions options);

  absl::StatusOr<PatientPrefs> Get(const std::string& org, const std::string& patient_id,
                                   bool fresh) override;
  void Forget(const std::string& org, const std::string& patient_id) override;

 private:
  absl::StatusOr<PatientPrefs> Fetch(const std::string& org, const std::string& patient_id);

  std::unique_ptr<dermaflow::patient::v1::PatientService::Stub> stub_;
  common::ServiceTokenSource& auth_;
  const common::Clock& clock_;
  const GrpcPatientDirectoryOptions options_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::pair<PatientPrefs, absl::Time>> cache_;
};

// For local runs without a patient service (no --patient_addr) and for
// benchmarks: every patient is the same anonymous one (by default: German,
// consent for e-mail at a placeholder address, which without SMTP goes to
// the log channel).
class LocalPatientDirectory : public PatientDirectory {
 public:
  static PatientPrefs Anonymous(const std::string& locale = "de");
  explicit LocalPatientDirectory(PatientPrefs anonymous = Anonymous())
      : anonymous_(std::move(anonymous)) {}
  absl::StatusOr<PatientPrefs> Get(const std::string&, const std::string&, bool) override {
    return anonymous_;
  }
  void Forget(const std::string&, const std::string&) override {}

 private:
  const PatientPrefs anonymous_;
};

}  // namespace dermaflow::notification
