#include "services/patient/app/patient_manager.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/page_size.h"
#include "common/api/request_id.h"
#include "common/logging/log.h"
#include "common/random/random_hex.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/proto_time.h"
#include "services/patient/domain/access_policy.h"
#include "services/patient/domain/audit.h"
#include "services/patient/domain/consent.h"
#include "services/patient/domain/patient_errors.h"
#include "services/patient/domain/patient_fields.h"
#include "services/patient/domain/patient_query.h"
#include "services/patient/domain/patient_validation.h"
#include "services/patient/domain/text_folding.h"

namespace dermaflow::patient {
namespace {

namespace events = ::dermaflow::events::v1;

// Index entries read per round trip beyond the page itself, and the most a
// single ListPatients call reads before it returns a shorter page with a
// token (AIP-158 allows that), so a sparse filter never scans a whole tenant.
constexpr int kMinScanBatch = 100;
constexpr int kMaxScannedPerCall = 5000;
// SetConsent does not conflict with other edits: on a concurrent change it
// re-reads and reapplies, a few times.
constexpr int kConsentAttempts = 3;

std::string NewPatientId() { return common::RandomHex128(); }

// Output-only and server-owned fields are ignored in CreatePatient.
void ClearServerFields(v1::Patient& patient) {
  patient.clear_id();
  patient.clear_etag();
  patient.clear_create_time();
  patient.clear_update_time();
  for (v1::ChannelConsent& consent : *patient.mutable_consents()) {
    consent.clear_change_time();
    consent.clear_changed_by();
  }
  if (patient.has_medical_profile()) {
    patient.mutable_medical_profile()->clear_update_time();
    patient.mutable_medical_profile()->clear_updated_by();
  }
}

void StampMedicalProfile(v1::Patient& patient, absl::Time now, const std::string& subject) {
  *patient.mutable_medical_profile()->mutable_update_time() = common::ToTimestamp(now);
  patient.mutable_medical_profile()->set_updated_by(subject);
}

events::Event MakeEvent(const common::Caller& caller) {
  events::Event event;
  event.set_organization(caller.organization);
  event.set_actor(caller.subject);
  event.set_producer("patient");
  return event;
}

// Ids are opaque: one that cannot be ours is simply unknown.
absl::Status CheckPatientId(std::string_view field, const std::string& id) {
  if (id.empty()) return common::InvalidArgumentError(field, "is required");
  if (!IsWellFormedPatientId(id)) return PatientNotFoundError(id);
  return absl::OkStatus();
}

// The one position of a patient list's page token ("" on the first page).
absl::StatusOr<std::string> DecodeCursor(const common::PageTokenCodec& tokens,
                                         const std::string& org,
                                         const google::protobuf::Message& request) {
  DF_ASSIGN_OR_RETURN(common::PagePosition position, tokens.Decode(org, request));
  return position.empty() ? std::string() : position.front();
}

}  // namespace

PatientManager::PatientManager(PatientStore& store, const common::Clock& clock)
    : store_(store), clock_(clock), page_tokens_([&store] { return store.PageTokenSecret(); }) {}

absl::StatusOr<v1::Patient> PatientManager::Create(const common::Caller& caller,
                                                   const v1::CreatePatientRequest& request) {
  const bool with_profile = request.patient().has_medical_profile();
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("CreatePatient")));
  if (with_profile) DF_RETURN_IF_ERROR(Authorize(caller, kWriteMedicalProfile));

  const absl::Time now = clock_.Now();
  v1::Patient patient = request.patient();
  ClearServerFields(patient);
  common::FieldViolations violations;
  common::ValidateRequestId(request.request_id(), violations);
  ValidatePatient(patient, now, "patient.", violations);
  ValidateInitialConsents(patient.consents(), "patient.", violations);
  DF_RETURN_IF_ERROR(violations.ToStatus());

  NewPatient input;
  input.request_id = request.request_id();
  // Of the normalized input, before the server adds anything: a retry has
  // the same digest, another patient under the same request_id does not.
  // (Patient has no map fields, so its serialization is deterministic.)
  input.request_fingerprint = common::RequestFingerprint(patient);
  patient.set_id(NewPatientId());
  *patient.mutable_create_time() = common::ToTimestamp(now);
  *patient.mutable_update_time() = common::ToTimestamp(now);
  if (with_profile) StampMedicalProfile(patient, now, caller.subject);
  input.consent_history = StampInitialConsents(patient, now, caller.subject);
  input.audit = MakeAuditEntry(patient.id(), v1::AUDIT_ACTION_CREATE, SetFieldPaths(patient),
                               caller, now, request.request_id());
  input.patient = std::move(patient);

  DF_ASSIGN_OR_RETURN(CreateResult result, store_.Create(caller.organization, input));
  if (result.created) {
    common::LogInfo("patient created",
                    {{"organization", caller.organization}, {"patient_id", result.patient.id()}});
  }
  return with_profile ? result.patient : BasicView(std::move(result.patient));
}

absl::StatusOr<v1::Patient> PatientManager::Get(const common::Caller& caller,
                                                const v1::GetPatientRequest& request) {
  if (!v1::PatientView_IsValid(request.view())) {
    return common::InvalidArgumentError("view", "unknown view");
  }
  const bool full = request.view() == v1::PATIENT_VIEW_FULL;
  DF_RETURN_IF_ERROR(Authorize(caller, full ? kReadMedicalProfile : RolesOf("GetPatient")));
  DF_RETURN_IF_ERROR(CheckPatientId("id", request.id()));
  if (!full) {
    DF_ASSIGN_OR_RETURN(v1::Patient patient, store_.Get(caller.organization, request.id()));
    return BasicView(std::move(patient));
  }
  return store_.GetAudited(caller.organization, request.id(),
                           MakeAuditEntry(request.id(), v1::AUDIT_ACTION_READ_MEDICAL_PROFILE,
                                          {"medical_profile"}, caller, clock_.Now()));
}

absl::StatusOr<v1::Patient> PatientManager::Update(const common::Caller& caller,
                                                   const v1::UpdatePatientRequest& request) {
  const std::string& id = request.patient().id();
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("UpdatePatient")));
  if (id.empty()) return common::InvalidArgumentError("patient.id", "is required");
  if (request.patient().etag().empty()) {
    return common::InvalidArgumentError("patient.etag",
                                        "is required: send the etag of the patient as last read");
  }
  DF_ASSIGN_OR_RETURN(UpdatePaths paths, ParseUpdateMask(request.update_mask()));
  std::vector<std::string> personal;
  std::vector<std::string> medical;
  SplitMedicalPaths(paths, &personal, &medical);
  if (!medical.empty()) {
    DF_RETURN_IF_ERROR(Authorize(caller, kWriteMedicalProfile));
  }
  DF_RETURN_IF_ERROR(CheckPatientId("patient.id", id));

  DF_ASSIGN_OR_RETURN(v1::Patient current, store_.Get(caller.organization, id));
  if (current.etag() != request.patient().etag()) return EtagMismatchError(id);
  const absl::Time now = clock_.Now();
  v1::Patient updated = ApplyUpdate(current, request.patient(), paths);
  common::FieldViolations violations;
  ValidatePatient(updated, now, "patient.", violations);
  DF_RETURN_IF_ERROR(violations.ToStatus());

  *updated.mutable_update_time() = common::ToTimestamp(now);
  PatientChange change;
  change.expected_etag = current.etag();
  if (!personal.empty()) {
    change.audit.push_back(MakeAuditEntry(id, v1::AUDIT_ACTION_UPDATE, personal, caller, now));
  }
  if (!medical.empty()) {
    StampMedicalProfile(updated, now, caller.subject);
    change.audit.push_back(
        MakeAuditEntry(id, v1::AUDIT_ACTION_UPDATE_MEDICAL_PROFILE, medical, caller, now));
  }
  change.patient = updated;
  DF_ASSIGN_OR_RETURN(std::string etag, store_.Write(caller.organization, change));
  updated.set_etag(etag);
  return medical.empty() ? BasicView(std::move(updated)) : updated;
}

absl::StatusOr<v1::ListPatientsResponse> PatientManager::List(
    const common::Caller& caller, const v1::ListPatientsRequest& request) {
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("ListPatients")));
  DF_ASSIGN_OR_RETURN(const int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(const PatientFilter filter, ParsePatientFilter(request));
  IndexScan scan = PlanScan(filter);
  DF_ASSIGN_OR_RETURN(scan.after, DecodeCursor(page_tokens_, caller.organization, request));
  scan.limit = std::max(page_size + 1, kMinScanBatch);

  v1::ListPatientsResponse response;
  std::string last_returned;
  for (int scanned = 0; scanned < kMaxScannedPerCall;) {
    DF_ASSIGN_OR_RETURN(ScanResult batch, store_.Scan(caller.organization, scan));
    for (ScannedPatient& entry : batch.entries) {
      if (entry.patient && Matches(*entry.patient, filter)) {
        if (response.patients_size() == page_size) {
          // One match more than the page: there is a next page, starting
          // right after the last patient returned.
          DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                              page_tokens_.Encode(caller.organization, request, {last_returned}));
          return response;
        }
        *response.add_patients() = BasicView(std::move(*entry.patient));
        last_returned = entry.position;
      }
      scan.after = std::move(entry.position);
    }
    if (batch.exhausted) return response;
    scanned += static_cast<int>(batch.entries.size());
  }
  // Scanned enough for one call: continue after what was looked at.
  DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                      page_tokens_.Encode(caller.organization, request, {scan.after}));
  return response;
}

absl::Status PatientManager::Delete(const common::Caller& caller,
                                    const v1::DeletePatientRequest& request) {
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("DeletePatient")));
  common::FieldViolations violations;
  if (request.id().empty()) violations.Add("id", "is required");
  if (request.etag().empty())
    violations.Add("etag", "is required: the etag of the patient as last read");
  if (Problem problem = CheckText(request.reason(), /*required=*/true))
    violations.Add("reason", *problem);
  DF_RETURN_IF_ERROR(violations.ToStatus());
  DF_RETURN_IF_ERROR(CheckPatientId("id", request.id()));

  const absl::Time now = clock_.Now();
  Erasure erasure;
  erasure.patient_id = request.id();
  erasure.expected_etag = request.etag();
  erasure.erase_time = absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone());
  erasure.erased_by = caller.subject;
  erasure.reason = TrimSpaces(request.reason());
  erasure.audit = MakeAuditEntry(request.id(), v1::AUDIT_ACTION_ERASE, {}, caller, now);
  erasure.event = MakeEvent(caller);
  erasure.event.mutable_patient_erased()->set_patient_id(request.id());
  DF_RETURN_IF_ERROR(store_.Erase(caller.organization, erasure));
  common::LogInfo("patient erased",
                  {{"organization", caller.organization}, {"patient_id", request.id()}});
  return absl::OkStatus();
}

absl::StatusOr<v1::ExportPatientResponse> PatientManager::Export(
    const common::Caller& caller, const v1::ExportPatientRequest& request) {
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("ExportPatient")));
  DF_RETURN_IF_ERROR(CheckPatientId("id", request.id()));
  const absl::Time now = clock_.Now();
  DF_ASSIGN_OR_RETURN(
      PatientExport data,
      store_.Export(caller.organization, request.id(),
                    MakeAuditEntry(request.id(), v1::AUDIT_ACTION_EXPORT, {}, caller, now)));
  v1::ExportPatientResponse response;
  *response.mutable_patient() = std::move(data.patient);
  for (v1::ChannelConsent& consent : data.consent_history)
    *response.add_consent_history() = std::move(consent);
  for (v1::AuditEntry& entry : data.audit_entries) *response.add_audit_entries() = std::move(entry);
  *response.mutable_export_time() = common::ToTimestamp(now);
  return response;
}

absl::StatusOr<v1::Patient> PatientManager::SetConsent(const common::Caller& caller,
                                                       const v1::SetConsentRequest& request) {
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("SetConsent")));
  common::FieldViolations violations;
  if (request.patient_id().empty()) violations.Add("patient_id", "is required");
  if (request.channel() == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(request.channel())) {
    violations.Add("channel", "must be CHANNEL_EMAIL, CHANNEL_SMS or CHANNEL_IN_APP");
  }
  if (request.state() == v1::CONSENT_STATE_UNSPECIFIED ||
      !v1::ConsentState_IsValid(request.state())) {
    violations.Add("state", "must be CONSENT_STATE_GIVEN or CONSENT_STATE_WITHDRAWN");
  }
  if (Problem problem = CheckText(request.reason(), /*required=*/false))
    violations.Add("reason", *problem);
  DF_RETURN_IF_ERROR(violations.ToStatus());
  const std::string& id = request.patient_id();
  DF_RETURN_IF_ERROR(CheckPatientId("patient_id", id));

  for (int attempt = 0; attempt < kConsentAttempts; ++attempt) {
    DF_ASSIGN_OR_RETURN(v1::Patient current, store_.Get(caller.organization, id));
    if (!request.etag().empty() && request.etag() != current.etag()) return EtagMismatchError(id);
    const absl::Time now = clock_.Now();
    v1::Patient updated = current;
    std::optional<v1::ChannelConsent> record =
        ApplyConsent(updated, request.channel(), request.state(), TrimSpaces(request.reason()), now,
                     caller.subject);
    if (!record) return BasicView(std::move(current));  // already so: nothing to record
    *updated.mutable_update_time() = common::ToTimestamp(now);

    PatientChange change;
    change.expected_etag = current.etag();
    change.audit.push_back(
        MakeAuditEntry(id, v1::AUDIT_ACTION_CHANGE_CONSENT, {"consents"}, caller, now));
    change.consent_record = std::move(record);
    change.event = MakeEvent(caller);
    auto* payload = change.event->mutable_patient_consent_changed();
    payload->set_patient_id(id);
    payload->set_channel(request.channel());
    payload->set_state(request.state());
    change.patient = updated;
    absl::StatusOr<std::string> etag = store_.Write(caller.organization, change);
    if (etag.ok()) {
      updated.set_etag(*etag);
      return BasicView(std::move(updated));
    }
    // Someone else changed the patient between read and write: a caller who
    // sent no etag does not mind, so reapply to the new state.
    if (common::ErrorInfoReason(etag.status()) != common::kEtagMismatchReason ||
        !request.etag().empty()) {
      return etag.status();
    }
  }
  return EtagMismatchError(id);
}

absl::StatusOr<v1::ListAuditEntriesResponse> PatientManager::ListAuditEntries(
    const common::Caller& caller, const v1::ListAuditEntriesRequest& request) {
  DF_RETURN_IF_ERROR(Authorize(caller, RolesOf("ListAuditEntries")));
  common::FieldViolations violations;
  if (request.patient_id().empty()) violations.Add("patient_id", "is required");
  absl::StatusOr<int> page_size = common::EffectivePageSize(request.page_size());
  if (!page_size.ok()) violations.Add("page_size", "must not be negative");
  AuditFilter filter;
  for (int action : request.actions()) {
    if (action == v1::AUDIT_ACTION_UNSPECIFIED || !v1::AuditAction_IsValid(action)) {
      violations.Add("actions", "has an unknown action");
    }
    filter.actions.push_back(static_cast<v1::AuditAction>(action));
  }
  const google::type::Interval& range = request.time_range();
  if (range.has_start_time()) filter.start = common::ToTime(range.start_time());
  if (range.has_end_time()) filter.end = common::ToTime(range.end_time());
  if (filter.start && filter.end && *filter.end < *filter.start) {
    violations.Add("time_range", "ends before it starts");
  }
  DF_RETURN_IF_ERROR(violations.ToStatus());
  const std::string& id = request.patient_id();
  DF_RETURN_IF_ERROR(CheckPatientId("patient_id", id));

  DF_ASSIGN_OR_RETURN(std::string before, DecodeCursor(page_tokens_, caller.organization, request));
  const int batch_size = std::max(*page_size + 1, kMinScanBatch);

  v1::ListAuditEntriesResponse response;
  std::string last_returned;
  for (int scanned = 0; scanned < kMaxScannedPerCall; scanned += batch_size) {
    DF_ASSIGN_OR_RETURN(std::vector<v1::AuditEntry> batch,
                        store_.ListAudit(caller.organization, id, before, batch_size));
    for (v1::AuditEntry& entry : batch) {
      before = entry.id();
      if (!MatchesAuditFilter(entry, filter)) continue;
      if (response.audit_entries_size() == *page_size) {
        DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                            page_tokens_.Encode(caller.organization, request, {last_returned}));
        return response;
      }
      last_returned = entry.id();
      *response.add_audit_entries() = std::move(entry);
    }
    if (static_cast<int>(batch.size()) < batch_size) return response;
  }
  DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                      page_tokens_.Encode(caller.organization, request, {before}));
  return response;
}

}  // namespace dermaflow::patient
