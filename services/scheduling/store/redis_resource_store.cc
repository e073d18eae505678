#include "services/scheduling/store/redis_resource_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_token_secret.h"
#include "common/api/request_id.h"
#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/scheduling/domain/scheduling_errors.h"
#include "services/scheduling/lua/commit_lua.h"
#include "services/scheduling/store/redis_codec.h"
#include "services/scheduling/store/scheduling_keys.h"
#include "services/scheduling/store/script_call.h"

namespace dermaflow::scheduling {
namespace {

using common::RedisReply;

// How long a create's request_id is remembered (the API promises 24 h).
constexpr int64_t kRequestTtlSeconds = int64_t{48} * 3600;

struct Kind {
  const char* name;           // key part
  const char* type;           // resource type in errors
  const char* unique_what;    // unique-names hash, or "" for none
  const char* unique_reason;  // ErrorInfo reason when the name is taken
};

constexpr Kind kClinicKind{"clinic", kClinicType, "", ""};
constexpr Kind kPractitionerKind{"practitioner", kPractitionerType, "practitioner_subject",
                                 "SUBJECT_IN_USE"};
constexpr Kind kRoomKind{"room", kRoomType, "room_name", "DISPLAY_NAME_IN_USE"};

// The resource's entry in its unique-names hash ("" = none).
std::string UniqueName(const v1::Clinic&) { return ""; }
std::string UniqueName(const v1::Practitioner& p) { return p.subject(); }
std::string UniqueName(const v1::Room& r) {
  return absl::StrCat(r.clinic_id(), "/", absl::AsciiStrToLower(r.display_name()));
}

absl::Status MapWriteError(const absl::Status& status, const Kind& kind, const std::string& id) {
  if (common::IsRedisError(status, "REQUEST_MISMATCH")) return common::RequestIdReusedError();
  if (common::IsRedisError(status, "ETAG_MISMATCH")) {
    return common::EtagMismatchError(kErrorDomain, kind.type, id);
  }
  if (common::IsRedisError(status, "NOT_FOUND")) {
    return common::NotFoundError(kErrorDomain, kind.type, id);
  }
  if (common::IsRedisError(status, "EXISTS")) {
    return common::ConcurrentModificationError(kErrorDomain, kind.type, id);
  }
  if (common::IsRedisError(status, "TAKEN ")) {
    const std::string holder(status.message().substr(6));
    return common::ResourceReasonError(
        absl::StatusCode::kAlreadyExists, kErrorDomain, kind.unique_reason,
        absl::StrCat("another ", kind.name, " (", holder, ") already uses this name"), kind.type,
        holder);
  }
  return status;
}

// The HGET that reads a resource; NOT_FOUND for an id no key can hold (it
// exists nowhere).
absl::StatusOr<std::vector<std::string>> ReadCommand(const std::string& org, const Kind& kind,
                                                     const std::string& id) {
  absl::StatusOr<std::string> key = keys::Resource(org, kind.name, id);
  if (!key.ok()) return common::NotFoundError(kErrorDomain, kind.type, id);
  return std::vector<std::string>{"HGET", *std::move(key), "pb"};
}

// The resource from ReadCommand's reply.
template <typename M>
absl::StatusOr<M> FromReply(const RedisReply& reply, const Kind& kind, const std::string& id) {
  if (reply.is_nil()) return common::NotFoundError(kErrorDomain, kind.type, id);
  return ParseReply<M>(reply);
}

template <typename M>
absl::StatusOr<M> Get(common::RedisClient& redis, const std::string& org, const Kind& kind,
                      const std::string& id) {
  DF_ASSIGN_OR_RETURN(std::vector<std::string> read, ReadCommand(org, kind, id));
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis.Command(std::move(read)));
  return FromReply<M>(reply, kind, id);
}

template <typename M>
absl::StatusOr<std::vector<M>> List(common::RedisClient& redis, const std::string& org,
                                    const Kind& kind) {
  DF_ASSIGN_OR_RETURN(std::string ids_key, keys::ResourceIds(org, kind.name));
  DF_ASSIGN_OR_RETURN(RedisReply ids, redis.Command({"SMEMBERS", ids_key}));
  std::vector<std::vector<std::string>> commands;
  for (const RedisReply& id : ids.elements()) {
    DF_ASSIGN_OR_RETURN(std::string key, keys::Resource(org, kind.name, id.str()));
    commands.push_back({"HGET", key, "pb"});
  }
  std::vector<M> out;
  if (commands.empty()) return out;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(commands));
  for (const RedisReply& reply : replies) {
    if (reply.is_nil()) continue;
    DF_ASSIGN_OR_RETURN(M m, ParseReply<M>(reply));
    out.push_back(std::move(m));
  }
  return out;
}

template <typename M>
absl::StatusOr<M> Create(common::RedisClient& redis, const std::string& org, const Kind& kind,
                         const M& m, const CreateRequest& request) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::Resource(org, kind.name, m.id()));
  DF_ASSIGN_OR_RETURN(std::string ids_key, keys::ResourceIds(org, kind.name));
  DF_ASSIGN_OR_RETURN(std::string request_key, keys::Request(org, kind.name, request.request_id));
  const std::string unique = UniqueName(m);
  std::string unique_key;
  if (!unique.empty()) {
    DF_ASSIGN_OR_RETURN(unique_key, keys::UniqueNames(org, kind.unique_what));
  }
  ScriptCall call;
  call.Request(request_key, request.fingerprint).Cas(key, "", kind.name);
  if (!unique.empty()) call.Unique(unique_key, unique, m.id());
  call.HSet(key, {"pb", m.SerializeAsString(), "etag", m.etag()}).SAdd(ids_key, m.id());
  if (!unique.empty()) call.HSet(unique_key, {unique, m.id()});
  call.SetEx(request_key, kRequestTtlSeconds, absl::StrCat(request.fingerprint, "\n", m.id()));
  absl::StatusOr<RedisReply> reply = call.Run(redis, CommitScript());
  if (!reply.ok()) return MapWriteError(reply.status(), kind, m.id());
  if (IsReplay(*reply)) return Get<M>(redis, org, kind, reply->elements()[1].str());
  return m;
}

template <typename M>
absl::Status Update(common::RedisClient& redis, const std::string& org, const Kind& kind,
                    const M& m, const std::string& expected_etag) {
  DF_ASSIGN_OR_RETURN(M current, Get<M>(redis, org, kind, m.id()));
  if (current.etag() != expected_etag) {
    return common::EtagMismatchError(kErrorDomain, kind.type, m.id());
  }
  DF_ASSIGN_OR_RETURN(std::string key, keys::Resource(org, kind.name, m.id()));
  const std::string old_name = UniqueName(current);
  const std::string new_name = UniqueName(m);
  std::string unique_key;
  if (*kind.unique_what != '\0') {
    DF_ASSIGN_OR_RETURN(unique_key, keys::UniqueNames(org, kind.unique_what));
  }
  ScriptCall call;
  // The CAS also guarantees old_name is still this resource's name.
  call.Cas(key, expected_etag, kind.name);
  if (!new_name.empty() && new_name != old_name) call.Unique(unique_key, new_name, m.id());
  call.HSet(key, {"pb", m.SerializeAsString(), "etag", m.etag()});
  if (new_name != old_name) {
    if (!old_name.empty()) call.HDelIf(unique_key, old_name, m.id());
    if (!new_name.empty()) call.HSet(unique_key, {new_name, m.id()});
  }
  absl::StatusOr<RedisReply> reply = call.Run(redis, CommitScript());
  if (!reply.ok()) return MapWriteError(reply.status(), kind, m.id());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Clinic> RedisResourceStore::CreateClinic(const std::string& org,
                                                            const v1::Clinic& clinic,
                                                            const CreateRequest& request) {
  return Create(redis_, org, kClinicKind, clinic, request);
}

absl::StatusOr<v1::Clinic> RedisResourceStore::GetClinic(const std::string& org,
                                                         const std::string& id) {
  return Get<v1::Clinic>(redis_, org, kClinicKind, id);
}

absl::Status RedisResourceStore::UpdateClinic(const std::string& org, const v1::Clinic& clinic,
                                              const std::string& expected_etag) {
  return Update(redis_, org, kClinicKind, clinic, expected_etag);
}

absl::StatusOr<std::vector<v1::Clinic>> RedisResourceStore::ListClinics(const std::string& org) {
  return List<v1::Clinic>(redis_, org, kClinicKind);
}

absl::StatusOr<v1::Practitioner> RedisResourceStore::CreatePractitioner(
    const std::string& org, const v1::Practitioner& practitioner, const CreateRequest& request) {
  return Create(redis_, org, kPractitionerKind, practitioner, request);
}

absl::StatusOr<v1::Practitioner> RedisResourceStore::GetPractitioner(const std::string& org,
                                                                     const std::string& id) {
  return Get<v1::Practitioner>(redis_, org, kPractitionerKind, id);
}

absl::Status RedisResourceStore::UpdatePractitioner(const std::string& org,
                                                    const v1::Practitioner& practitioner,
                                                    const std::string& expected_etag) {
  return Update(redis_, org, kPractitionerKind, practitioner, expected_etag);
}

absl::StatusOr<std::vector<v1::Practitioner>> RedisResourceStore::ListPractitioners(
    const std::string& org) {
  return List<v1::Practitioner>(redis_, org, kPractitionerKind);
}

absl::StatusOr<std::optional<v1::Practitioner>> RedisResourceStore::FindPractitionerBySubject(
    const std::string& org, const std::string& subject) {
  if (subject.empty()) return std::nullopt;
  DF_ASSIGN_OR_RETURN(std::string unique_key,
                      keys::UniqueNames(org, kPractitionerKind.unique_what));
  DF_ASSIGN_OR_RETURN(RedisReply id, redis_.Command({"HGET", unique_key, subject}));
  if (id.is_nil()) return std::nullopt;
  absl::StatusOr<v1::Practitioner> p = GetPractitioner(org, id.str());
  if (absl::IsNotFound(p.status())) return std::nullopt;
  if (!p.ok()) return p.status();
  return *std::move(p);
}

absl::StatusOr<v1::Room> RedisResourceStore::CreateRoom(const std::string& org,
                                                        const v1::Room& room,
                                                        const CreateRequest& request) {
  return Create(redis_, org, kRoomKind, room, request);
}

absl::StatusOr<v1::Room> RedisResourceStore::GetRoom(const std::string& org,
                                                     const std::string& id) {
  return Get<v1::Room>(redis_, org, kRoomKind, id);
}

absl::Status RedisResourceStore::UpdateRoom(const std::string& org, const v1::Room& room,
                                            const std::string& expected_etag) {
  return Update(redis_, org, kRoomKind, room, expected_etag);
}

absl::StatusOr<std::vector<v1::Room>> RedisResourceStore::ListRooms(const std::string& org) {
  return List<v1::Room>(redis_, org, kRoomKind);
}

absl::StatusOr<BookingResources> RedisResourceStore::GetBookingResources(
    const std::string& org, const std::string& clinic_id, const std::string& practitioner_id,
    const std::string& room_id) {
  const bool with_room = !room_id.empty();
  absl::StatusOr<std::vector<std::string>> clinic = ReadCommand(org, kClinicKind, clinic_id);
  absl::StatusOr<std::vector<std::string>> practitioner =
      ReadCommand(org, kPractitionerKind, practitioner_id);
  absl::StatusOr<std::vector<std::string>> room =
      with_room ? ReadCommand(org, kRoomKind, room_id) : std::vector<std::string>{};
  BookingResources r;
  if (!clinic.ok() || !practitioner.ok() || !room.ok()) {
    // An id no key can hold: one by one, so the errors come in their order.
    DF_ASSIGN_OR_RETURN(r.clinic, GetClinic(org, clinic_id));
    DF_ASSIGN_OR_RETURN(r.practitioner, GetPractitioner(org, practitioner_id));
    if (with_room) {
      DF_ASSIGN_OR_RETURN(r.room, GetRoom(org, room_id));
    }
    return r;
  }
  std::vector<std::vector<std::string>> reads = {*std::move(clinic), *std::move(practitioner)};
  if (with_room) reads.push_back(*std::move(room));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(reads));
  if (replies.size() != reads.size()) return absl::InternalError("short pipeline reply");
  DF_ASSIGN_OR_RETURN(r.clinic, FromReply<v1::Clinic>(replies[0], kClinicKind, clinic_id));
  DF_ASSIGN_OR_RETURN(r.practitioner,
                      FromReply<v1::Practitioner>(replies[1], kPractitionerKind, practitioner_id));
  if (with_room) {
    DF_ASSIGN_OR_RETURN(r.room, FromReply<v1::Room>(replies[2], kRoomKind, room_id));
  }
  return r;
}

absl::StatusOr<std::string> RedisResourceStore::PageTokenSecret() {
  return common::LoadPageTokenSecret(redis_, "scheduling");
}

}  // namespace dermaflow::scheduling
