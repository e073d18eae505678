// PatientStore on Redis. Every key is the tenant's (`df:{org}:...`, keys.h),
// every multi-key change one Lua script from lua/ (so a crash never leaves a
// half-written patient, index or audit trail). The key layout is in
// docs/patient.md.
//
//   RedisPatientStore store(runtime->redis(), runtime->clock());
//   DF_ASSIGN_OR_RETURN(v1::Patient p, store.Get(caller.organization, id));
#pragma once

#include "common/clock/clock.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_client.h"
#include "services/patient/store/audit_retention.h"
#include "services/patient/store/patient_store.h"

namespace dermaflow::patient {

class RedisPatientStore : public PatientStore {
 public:
  // `redis` and `clock` must outlive the store. Thread-safe. Every script
  // that appends audit entries trims the audit streams it writes to
  // `audit_retention` (audit_retention.h; zero keeps them forever).
  RedisPatientStore(common::RedisClient& redis, const common::Clock& clock,
                    common::EventStreamOptions events = {},
                    absl::Duration audit_retention = kDefaultAuditRetention);

  absl::StatusOr<CreateResult> Create(std::string_view org, const NewPatient& patient) override;
  absl::StatusOr<v1::Patient> Get(std::string_view org, std::string_view id) override;
  absl::StatusOr<v1::Patient> GetAudited(std::string_view org, std::string_view id,
                                         const v1::AuditEntry& audit) override;
  absl::StatusOr<std::string> Write(std::string_view org, const PatientChange& change) override;
  absl::Status Erase(std::string_view org, const Erasure& erasure) override;
  absl::StatusOr<PatientExport> Export(std::string_view org, std::string_view id,
                                       const v1::AuditEntry& audit) override;
  absl::StatusOr<ScanResult> Scan(std::string_view org, const IndexScan& scan) override;
  absl::StatusOr<std::vector<v1::AuditEntry>> ListAudit(std::string_view org, std::string_view id,
                                                        std::string_view before,
                                                        int limit) override;
  absl::StatusOr<std::string> PageTokenSecret() override;

 private:
  // The live record, or NOT_FOUND / PATIENT_ERASED; `request_fp` (if not
  // null) gets the digest of the request that created it.
  absl::StatusOr<v1::Patient> Read(std::string_view org, std::string_view id,
                                   std::string* request_fp);
  absl::StatusOr<v1::Patient> ReadAudited(std::string_view org, std::string_view id,
                                          const v1::AuditEntry& audit, bool with_history,
                                          PatientExport* out);
  absl::StatusOr<std::string> SealEvent(dermaflow::events::v1::Event event);
  // The audit retention cutoff now (ARGV of every script that audits).
  std::string AuditCutoffNow() const;

  common::RedisClient& redis_;
  const common::Clock& clock_;
  common::EventPublisher publisher_;
  const absl::Duration audit_retention_;
};

}  // namespace dermaflow::patient
