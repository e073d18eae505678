// Where patients live: the interface PatientManager uses, with one Redis
// implementation (redis_patient_store.h). Every method takes the caller's
// organization and touches only that tenant's data; every change is atomic
// together with its audit entries, consent history and event.
//
// Errors: NOT_FOUND / ABORTED from patient_errors.h, INVALID_ARGUMENT naming
// `request_id` when it was used for another request, UNAVAILABLE when Redis
// cannot be reached.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "services/patient/domain/patient_index.h"

namespace dermaflow::patient {

// A patient about to be created (with its server-assigned id and times).
struct NewPatient {
  v1::Patient patient;
  std::string request_id;
  // Digest of the request, so a reused request_id with other content is
  // told apart from a retry.
  std::string request_fingerprint;
  std::vector<v1::ChannelConsent> consent_history;
  v1::AuditEntry audit;
};

struct CreateResult {
  v1::Patient patient;   // with etag
  bool created = false;  // false: the request_id's earlier result
};

// A compare-and-set of a patient's whole record.
struct PatientChange {
  v1::Patient patient;        // the new state (etag ignored)
  std::string expected_etag;  // ABORTED unless current
  std::vector<v1::AuditEntry> audit;
  std::optional<v1::ChannelConsent> consent_record;   // appended to the history
  std::optional<dermaflow::events::v1::Event> event;  // published atomically
};

struct Erasure {
  std::string patient_id;
  std::string expected_etag;
  std::string erase_time;  // RFC 3339, kept in the tombstone
  std::string erased_by;
  std::string reason;
  v1::AuditEntry audit;
  dermaflow::events::v1::Event event;
};

struct PatientExport {
  v1::Patient patient;                              // full, with etag
  std::vector<v1::ChannelConsent> consent_history;  // oldest first
  std::vector<v1::AuditEntry> audit_entries;        // oldest first, ids set
};

struct ScannedPatient {
  std::string position;                // ListPosition
  std::optional<v1::Patient> patient;  // nullopt: erased while scanning
};

struct ScanResult {
  std::vector<ScannedPatient> entries;  // in list order
  bool exhausted = false;               // nothing after the last entry
};

class PatientStore {
 public:
  virtual ~PatientStore() = default;

  // Creates the patient unless the request_id was seen: then returns what it
  // created (INVALID_ARGUMENT `request_id` if the fingerprint differs;
  // PATIENT_ERASED if that patient was erased: erasure never resurrects).
  virtual absl::StatusOr<CreateResult> Create(std::string_view org, const NewPatient& patient) = 0;

  // The full record with its etag.
  virtual absl::StatusOr<v1::Patient> Get(std::string_view org, std::string_view id) = 0;

  // Get that appends `audit` atomically with the read (FULL view).
  virtual absl::StatusOr<v1::Patient> GetAudited(std::string_view org, std::string_view id,
                                                 const v1::AuditEntry& audit) = 0;

  // Returns the new etag.
  virtual absl::StatusOr<std::string> Write(std::string_view org, const PatientChange& change) = 0;

  // Replaces the record by a tombstone and removes every index entry and the
  // consent history. OK (and nothing written) if already erased. Either way
  // the erasure is then recorded as pending a rewrite of Redis's files
  // (common/redis/erasure_ledger.h), so a retried erasure is never left unrecorded.
  virtual absl::Status Erase(std::string_view org, const Erasure& erasure) = 0;

  // Appends `audit`, then returns everything held about the patient.
  virtual absl::StatusOr<PatientExport> Export(std::string_view org, std::string_view id,
                                               const v1::AuditEntry& audit) = 0;

  virtual absl::StatusOr<ScanResult> Scan(std::string_view org, const IndexScan& scan) = 0;

  // Up to `limit` audit entries, newest first, older than entry id `before`
  // ("" = from the newest). NOT_FOUND if the patient never existed (erased
  // ones have a tombstone and keep their trail).
  virtual absl::StatusOr<std::vector<v1::AuditEntry>> ListAudit(std::string_view org,
                                                                std::string_view id,
                                                                std::string_view before,
                                                                int limit) = 0;

  // The secret the API's page tokens are sealed under (common/api/page_token.h).
  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;
};

}  // namespace dermaflow::patient
