#include "services/patient/store/redis_patient_store.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/page_token_secret.h"
#include "common/events/event_stream.h"
#include "common/redis/durability.h"
#include "common/redis/erasure_ledger.h"
#include "common/redis/keys.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/patient/domain/patient_errors.h"
#include "services/patient/lua/create_patient_lua.h"
#include "services/patient/lua/erase_patient_lua.h"
#include "services/patient/lua/read_patient_audited_lua.h"
#include "services/patient/lua/write_patient_lua.h"

namespace dermaflow::patient {
namespace {

using common::RedisReply;

// Every key one patient touches, in the order the scripts expect them.
struct PatientKeys {
  std::string patient;                 // hash: data, etag, request_fp, ix_* | tombstone
  std::array<std::string, 4> indexes;  // by PatientIndex
  std::string tenant_audit;            // stream of every audit entry of the tenant
  std::string patient_audit;           // stream of this patient's audit entries
  std::string consents;                // list of ChannelConsent, oldest first
  std::string events;                  // the tenant's event stream
};

absl::StatusOr<std::string> IndexKey(std::string_view org, PatientIndex index) {
  return common::TenantKey(org, "patient_index", IndexName(index));
}

absl::StatusOr<PatientKeys> KeysFor(std::string_view org, std::string_view id) {
  PatientKeys keys;
  DF_ASSIGN_OR_RETURN(keys.patient, common::TenantKey(org, "patient", id));
  for (PatientIndex index : kAllIndexes) {
    DF_ASSIGN_OR_RETURN(keys.indexes[static_cast<int>(index)], IndexKey(org, index));
  }
  DF_ASSIGN_OR_RETURN(keys.tenant_audit, common::TenantKey(org, "patient_audit"));
  DF_ASSIGN_OR_RETURN(keys.patient_audit, common::TenantKey(org, "patient_audit", id));
  DF_ASSIGN_OR_RETURN(keys.consents, common::TenantKey(org, "patient_consents", id));
  DF_ASSIGN_OR_RETURN(keys.events, common::StreamKey(org));
  return keys;
}

// The script keys: patient, the four indexes, then `rest`.
std::vector<std::string> ScriptKeys(const PatientKeys& keys, std::vector<std::string> rest) {
  std::vector<std::string> out = {keys.patient};
  out.insert(out.end(), keys.indexes.begin(), keys.indexes.end());
  out.insert(out.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  return out;
}

// The stored bytes: the record without its etag, which is kept beside it.
std::string RecordBytes(v1::Patient patient) {
  patient.clear_etag();
  return patient.SerializeAsString();
}

absl::StatusOr<v1::Patient> ParseRecord(const RedisReply& data, const RedisReply& etag) {
  DF_ASSIGN_OR_RETURN(std::string bytes, data.AsString());
  DF_ASSIGN_OR_RETURN(std::string tag, etag.AsString());
  v1::Patient patient;
  if (!patient.ParseFromString(bytes)) return absl::InternalError("stored patient does not parse");
  patient.set_etag(tag);
  return patient;
}

// Maps a script's error reply (see lua/) to the API's error.
absl::Status ScriptError(const absl::Status& status, std::string_view id) {
  if (common::IsRedisError(status, "NOT_FOUND")) return PatientNotFoundError(id);
  if (common::IsRedisError(status, "ETAG_MISMATCH")) return EtagMismatchError(id);
  if (common::IsRedisError(status, "ERASED ")) {
    const absl::string_view message = status.message();
    return PatientErasedError(id, std::string_view(message.data(), message.size()).substr(7));
  }
  return status;
}

// An XRANGE reply ([[id, [field, value, ...]], ...]) as audit entries.
absl::StatusOr<std::vector<v1::AuditEntry>> ParseAuditEntries(const RedisReply& reply) {
  std::vector<v1::AuditEntry> entries;
  for (const RedisReply& item : reply.elements()) {
    if (item.elements().size() != 2 || item.elements()[1].elements().size() < 2) {
      return absl::InternalError("malformed audit stream entry");
    }
    v1::AuditEntry entry;
    DF_ASSIGN_OR_RETURN(std::string bytes, item.elements()[1].elements()[1].AsString());
    if (!entry.ParseFromString(bytes))
      return absl::InternalError("stored audit entry does not parse");
    DF_ASSIGN_OR_RETURN(*entry.mutable_id(), item.elements()[0].AsString());
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string MaxLen(const common::EventPublisher& publisher) {
  return absl::StrCat(publisher.options().max_len);
}

}  // namespace

RedisPatientStore::RedisPatientStore(common::RedisClient& redis, const common::Clock& clock,
                                     common::EventStreamOptions events,
                                     absl::Duration audit_retention)
    : redis_(redis),
      clock_(clock),
      publisher_(redis, clock, events),
      audit_retention_(audit_retention) {}

std::string RedisPatientStore::AuditCutoffNow() const {
  return AuditCutoff(clock_.Now(), audit_retention_);
}

absl::StatusOr<std::string> RedisPatientStore::SealEvent(dermaflow::events::v1::Event event) {
  // df:orgs lives outside the tenant's slot, so the script cannot add it;
  // registering first means a consumer can never miss the stream.
  DF_RETURN_IF_ERROR(publisher_.RegisterOrganization(event.organization()));
  return common::SealEvent(event, clock_);
}

absl::StatusOr<CreateResult> RedisPatientStore::Create(std::string_view org,
                                                       const NewPatient& input) {
  const v1::Patient& patient = input.patient;
  DF_ASSIGN_OR_RETURN(PatientKeys keys, KeysFor(org, patient.id()));
  DF_ASSIGN_OR_RETURN(std::string request_key,
                      common::TenantKey(org, "patient_request", input.request_id));
  const std::array<std::string, 4> members = IndexMembers(patient);
  std::vector<std::string> args = {input.request_fingerprint, patient.id(), RecordBytes(patient)};
  args.insert(args.end(), members.begin(), members.end());
  args.push_back(input.audit.SerializeAsString());
  args.push_back(AuditCutoffNow());
  for (const v1::ChannelConsent& consent : input.consent_history)
    args.push_back(consent.SerializeAsString());

  std::vector<std::string> script_keys = {request_key};
  for (std::string& key :
       ScriptKeys(keys, {keys.tenant_audit, keys.patient_audit, keys.consents})) {
    script_keys.push_back(std::move(key));
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Eval(CreatePatientScript(), std::move(script_keys), std::move(args),
                                  common::Durability::kReplicated));
  if (reply.elements().size() != 2) return absl::InternalError("create_patient: unexpected reply");
  DF_ASSIGN_OR_RETURN(std::string outcome, reply.elements()[0].AsString());
  DF_ASSIGN_OR_RETURN(std::string value, reply.elements()[1].AsString());
  if (outcome == "CREATED") {
    CreateResult result{patient, true};
    result.patient.set_etag(value);
    return result;
  }

  // A retry (or a reuse) of the request_id: value is the earlier patient.
  std::string request_fp;
  DF_ASSIGN_OR_RETURN(v1::Patient earlier, Read(org, value, &request_fp));
  if (request_fp != input.request_fingerprint) {
    return common::InvalidArgumentError("request_id", "was already used for a different patient");
  }
  return CreateResult{std::move(earlier), false};
}

absl::StatusOr<v1::Patient> RedisPatientStore::Get(std::string_view org, std::string_view id) {
  return Read(org, id, nullptr);
}

absl::StatusOr<v1::Patient> RedisPatientStore::Read(std::string_view org, std::string_view id,
                                                    std::string* request_fp) {
  DF_ASSIGN_OR_RETURN(std::string key, common::TenantKey(org, "patient", id));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"HMGET", key, "data", "etag", "erase_time", "request_fp"}));
  const auto& fields = reply.elements();
  if (fields.size() != 4) return absl::InternalError("HMGET: unexpected reply");
  if (!fields[2].is_nil()) return PatientErasedError(id, fields[2].str());
  if (fields[0].is_nil()) return PatientNotFoundError(id);
  if (request_fp != nullptr) *request_fp = fields[3].str();
  return ParseRecord(fields[0], fields[1]);
}

absl::StatusOr<v1::Patient> RedisPatientStore::GetAudited(std::string_view org, std::string_view id,
                                                          const v1::AuditEntry& audit) {
  return ReadAudited(org, id, audit, /*with_history=*/false, nullptr);
}

absl::StatusOr<PatientExport> RedisPatientStore::Export(std::string_view org, std::string_view id,
                                                        const v1::AuditEntry& audit) {
  PatientExport out;
  DF_ASSIGN_OR_RETURN(out.patient, ReadAudited(org, id, audit, /*with_history=*/true, &out));
  return out;
}

absl::StatusOr<v1::Patient> RedisPatientStore::ReadAudited(std::string_view org,
                                                           std::string_view id,
                                                           const v1::AuditEntry& audit,
                                                           bool with_history, PatientExport* out) {
  DF_ASSIGN_OR_RETURN(PatientKeys keys, KeysFor(org, id));
  absl::StatusOr<RedisReply> reply =
      redis_.Eval(ReadPatientAuditedScript(),
                  {keys.patient, keys.tenant_audit, keys.patient_audit, keys.consents},
                  {audit.SerializeAsString(), with_history ? "export" : "read", AuditCutoffNow()});
  if (!reply.ok()) return ScriptError(reply.status(), id);
  const auto& parts = reply->elements();
  if (parts.size() != (with_history ? 4u : 2u))
    return absl::InternalError("read_patient_audited: unexpected reply");
  DF_ASSIGN_OR_RETURN(v1::Patient patient, ParseRecord(parts[0], parts[1]));
  if (with_history) {
    for (const RedisReply& item : parts[2].elements()) {
      v1::ChannelConsent consent;
      if (!consent.ParseFromString(item.str()))
        return absl::InternalError("stored consent does not parse");
      out->consent_history.push_back(std::move(consent));
    }
    DF_ASSIGN_OR_RETURN(out->audit_entries, ParseAuditEntries(parts[3]));
  }
  return patient;
}

absl::StatusOr<std::string> RedisPatientStore::Write(std::string_view org,
                                                     const PatientChange& change) {
  const std::string& id = change.patient.id();
  DF_ASSIGN_OR_RETURN(PatientKeys keys, KeysFor(org, id));
  std::string event_bytes;
  if (change.event) {
    DF_ASSIGN_OR_RETURN(event_bytes, SealEvent(*change.event));
  }
  const std::array<std::string, 4> members = IndexMembers(change.patient);
  std::vector<std::string> args = {change.expected_etag, RecordBytes(change.patient)};
  args.insert(args.end(), members.begin(), members.end());
  args.push_back(change.consent_record ? change.consent_record->SerializeAsString() : "");
  args.push_back(std::move(event_bytes));
  args.push_back(MaxLen(publisher_));
  args.push_back(AuditCutoffNow());
  for (const v1::AuditEntry& entry : change.audit) args.push_back(entry.SerializeAsString());
  absl::StatusOr<RedisReply> reply = redis_.Eval(
      WritePatientScript(),
      ScriptKeys(keys, {keys.tenant_audit, keys.patient_audit, keys.consents, keys.events}),
      std::move(args), common::Durability::kReplicated);
  if (!reply.ok()) return ScriptError(reply.status(), id);
  return reply->AsString();
}

absl::Status RedisPatientStore::Erase(std::string_view org, const Erasure& erasure) {
  DF_ASSIGN_OR_RETURN(PatientKeys keys, KeysFor(org, erasure.patient_id));
  DF_ASSIGN_OR_RETURN(std::string event_bytes, SealEvent(erasure.event));
  absl::StatusOr<RedisReply> reply = redis_.Eval(
      ErasePatientScript(),
      ScriptKeys(keys, {keys.tenant_audit, keys.patient_audit, keys.consents, keys.events}),
      {erasure.expected_etag, erasure.erase_time, erasure.erased_by, erasure.reason,
       erasure.audit.SerializeAsString(), std::move(event_bytes), MaxLen(publisher_),
       AuditCutoffNow()},
      common::Durability::kReplicated);
  if (common::IsNotReplicated(reply.status())) {
    // The erasure ran on the primary: its data must leave the disk files
    // even if the caller never retries. The call still fails, as not durable.
    common::RecordPendingErasure(redis_).IgnoreError();
    return reply.status();
  }
  if (!reply.ok()) return ScriptError(reply.status(), erasure.patient_id);
  // After the commit, so a failure here fails the call and the caller's
  // retry (an erasure repeats as OK) records it again.
  return common::RecordPendingErasure(redis_);
}

absl::StatusOr<ScanResult> RedisPatientStore::Scan(std::string_view org, const IndexScan& scan) {
  DF_ASSIGN_OR_RETURN(std::string index_key, IndexKey(org, scan.index));
  const LexRange range = ScanRange(scan);
  DF_ASSIGN_OR_RETURN(RedisReply members,
                      redis_.Command({"ZRANGEBYLEX", index_key, range.min, range.max, "LIMIT", "0",
                                      absl::StrCat(scan.limit)}));
  ScanResult result;
  result.exhausted = static_cast<int>(members.elements().size()) < scan.limit;
  if (members.elements().empty()) return result;

  std::vector<std::vector<std::string>> reads;
  for (const RedisReply& member : members.elements()) {
    const std::string_view position = PositionOfMember(scan.index, member.str());
    DF_ASSIGN_OR_RETURN(std::string key, common::TenantKey(org, "patient", IdOfPosition(position)));
    reads.push_back({"HMGET", std::move(key), "data", "etag"});
    result.entries.push_back({std::string(position), std::nullopt});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> records, redis_.Pipeline(reads));
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& fields = records[i].elements();
    if (fields.size() == 2 && !fields[0].is_nil()) {
      DF_ASSIGN_OR_RETURN(result.entries[i].patient, ParseRecord(fields[0], fields[1]));
    }
  }
  return result;
}

absl::StatusOr<std::vector<v1::AuditEntry>> RedisPatientStore::ListAudit(std::string_view org,
                                                                         std::string_view id,
                                                                         std::string_view before,
                                                                         int limit) {
  DF_ASSIGN_OR_RETURN(PatientKeys keys, KeysFor(org, id));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                      redis_.Pipeline({{"EXISTS", keys.patient},
                                       {"XREVRANGE", keys.patient_audit,
                                        before.empty() ? "+" : "(" + std::string(before), "-",
                                        "COUNT", absl::StrCat(limit)}}));
  DF_ASSIGN_OR_RETURN(int64_t exists, replies[0].AsInt());
  if (exists == 0) return PatientNotFoundError(id);
  DF_RETURN_IF_ERROR(replies[1].ToStatus());
  return ParseAuditEntries(replies[1]);
}

absl::StatusOr<std::string> RedisPatientStore::PageTokenSecret() {
  return common::LoadPageTokenSecret(redis_, "patient");
}

}  // namespace dermaflow::patient
