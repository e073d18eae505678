#include "services/scheduling/app/resource_manager.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "common/api/page_size.h"
#include "common/api/request_id.h"
#include "common/api/update_mask.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/resource_validation.h"

namespace dermaflow::scheduling {
namespace {

// What each Update RPC may change (scheduling_service.proto); ids, etags
// and times are the server's.
const common::UpdatableFields kClinicUpdatable{
    .paths = {"display_name", "address", "contact_phone", "contact_email", "opening_hours",
              "closed_days", "buffer", "slot_interval", "archived", "confirmation_policy",
              "patient_app_url", "waitlist_policy"}};
const common::UpdatableFields kPractitionerUpdatable{
    .paths = {"display_name", "clinic_ids", "working_hours", "qualified_categories", "is_physician",
              "subject", "time_off", "archived"}};
const common::UpdatableFields kRoomUpdatable{.paths = {"display_name", "categories", "archived"}};

// One page of `sorted` (ascending by `key(item)`, a vector of strings
// compared part by part): the items after `cursor` (all for an empty one),
// at most `page_size`. `next_cursor` is the last item's key when more
// follow, else empty.
template <typename T, typename KeyFn>
std::vector<T> TakePage(const std::vector<T>& sorted, const common::PagePosition& cursor,
                        int page_size, KeyFn key, common::PagePosition* next_cursor) {
  std::vector<T> page;
  next_cursor->clear();
  for (const T& item : sorted) {
    if (!cursor.empty() && !(cursor < key(item))) continue;
    if (static_cast<int>(page.size()) == page_size) {
      *next_cursor = key(page.back());
      break;
    }
    page.push_back(item);
  }
  return page;
}

// Server-set fields of a new resource.
template <typename M>
void Stamp(M& m, absl::Time now, bool created) {
  if (created) {
    *m.mutable_create_time() = ToTimestamp(now);
  }
  *m.mutable_update_time() = ToTimestamp(now);
  m.set_etag(NewEtag());
}

// Validates the parts of every Update request: the resource's id and etag.
template <typename M>
absl::Status CheckUpdateRequest(const M& m, const std::string& prefix) {
  common::FieldViolations v;
  if (m.id().empty()) v.Add(prefix + ".id", "required");
  if (m.etag().empty()) v.Add(prefix + ".etag", "required: send the etag last read");
  return v.ToStatus();
}

template <typename M, typename Response, typename Request, typename KeyFn>
absl::StatusOr<Response> Page(std::vector<M> items, const common::PageTokenCodec& tokens,
                              const std::string& org, const Request& request, KeyFn key,
                              google::protobuf::RepeatedPtrField<M>* (Response::*field)()) {
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor, tokens.Decode(org, request));
  std::sort(items.begin(), items.end(), [&](const M& a, const M& b) { return key(a) < key(b); });
  common::PagePosition next;
  Response response;
  for (M& m : TakePage(items, cursor, page_size, key, &next))
    (response.*field)()->Add(std::move(m));
  if (!next.empty()) {
    DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(), tokens.Encode(org, request, next));
  }
  return response;
}

}  // namespace

absl::StatusOr<std::set<std::string>> ResourceManager::ClinicIds(const std::string& org) {
  DF_ASSIGN_OR_RETURN(std::vector<v1::Clinic> clinics, store_.ListClinics(org));
  std::set<std::string> ids;
  for (const auto& c : clinics) ids.insert(c.id());
  return ids;
}

// --- clinics ---------------------------------------------------------------

absl::StatusOr<v1::Clinic> ResourceManager::CreateClinic(const common::Caller& caller,
                                                         const v1::CreateClinicRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("CreateClinic")));
  common::FieldViolations v;
  common::ValidateRequestId(request.request_id(), v);
  ValidateClinic(request.clinic(), "clinic", v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  v1::Clinic clinic = request.clinic();
  clinic.set_id(NewId("cl"));
  Stamp(clinic, clock_.Now(), true);
  return store_.CreateClinic(caller.organization, clinic,
                             {request.request_id(), common::RequestFingerprint(request)});
}

absl::StatusOr<v1::Clinic> ResourceManager::GetClinic(const common::Caller& caller,
                                                      const v1::GetClinicRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("GetClinic")));
  if (request.id().empty()) return common::InvalidArgumentError("id", "required");
  return store_.GetClinic(caller.organization, request.id());
}

absl::StatusOr<v1::Clinic> ResourceManager::UpdateClinic(const common::Caller& caller,
                                                         const v1::UpdateClinicRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("UpdateClinic")));
  DF_RETURN_IF_ERROR(CheckUpdateRequest(request.clinic(), "clinic"));
  DF_ASSIGN_OR_RETURN(v1::Clinic clinic,
                      store_.GetClinic(caller.organization, request.clinic().id()));
  const std::string expected = request.clinic().etag();
  DF_RETURN_IF_ERROR(
      common::ApplyUpdateMask(request.clinic(), request.update_mask(), kClinicUpdatable, clinic));
  common::FieldViolations v;
  ValidateClinic(clinic, "clinic", v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  Stamp(clinic, clock_.Now(), false);
  DF_RETURN_IF_ERROR(store_.UpdateClinic(caller.organization, clinic, expected));
  return clinic;
}

absl::StatusOr<v1::ListClinicsResponse> ResourceManager::ListClinics(
    const common::Caller& caller, const v1::ListClinicsRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("ListClinics")));
  DF_ASSIGN_OR_RETURN(std::vector<v1::Clinic> all, store_.ListClinics(caller.organization));
  std::vector<v1::Clinic> shown;
  for (auto& c : all) {
    if (request.show_archived() || !c.archived()) shown.push_back(std::move(c));
  }
  return Page(
      std::move(shown), page_tokens_, caller.organization, request,
      [](const v1::Clinic& c) {
        return std::vector<std::string>{c.display_name(), c.id()};
      },
      &v1::ListClinicsResponse::mutable_clinics);
}

// --- practitioners -----------------------------------------------------------

absl::StatusOr<v1::Practitioner> ResourceManager::CreatePractitioner(
    const common::Caller& caller, const v1::CreatePractitionerRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("CreatePractitioner")));
  DF_ASSIGN_OR_RETURN(std::set<std::string> clinics, ClinicIds(caller.organization));
  common::FieldViolations v;
  common::ValidateRequestId(request.request_id(), v);
  ValidatePractitioner(request.practitioner(), "practitioner", clinics, v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  v1::Practitioner practitioner = request.practitioner();
  practitioner.set_id(NewId("pr"));
  Stamp(practitioner, clock_.Now(), true);
  return store_.CreatePractitioner(caller.organization, practitioner,
                                   {request.request_id(), common::RequestFingerprint(request)});
}

absl::StatusOr<v1::Practitioner> ResourceManager::GetPractitioner(
    const common::Caller& caller, const v1::GetPractitionerRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("GetPractitioner")));
  if (request.id().empty()) return common::InvalidArgumentError("id", "required");
  return store_.GetPractitioner(caller.organization, request.id());
}

absl::StatusOr<v1::Practitioner> ResourceManager::UpdatePractitioner(
    const common::Caller& caller, const v1::UpdatePractitionerRequest& request) {
  DF_RETURN_IF_ERROR(CheckUpdateRequest(request.practitioner(), "practitioner"));
  DF_ASSIGN_OR_RETURN(v1::Practitioner practitioner,
                      store_.GetPractitioner(caller.organization, request.practitioner().id()));
  // A practitioner may change their own time off.
  const auto& paths = request.update_mask().paths();
  const bool own_time_off = caller.HasRole(kPractitionerRole) && !caller.subject.empty() &&
                            caller.subject == practitioner.subject() && paths.size() == 1 &&
                            paths[0] == "time_off";
  if (!own_time_off) DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("UpdatePractitioner")));
  const std::string expected = request.practitioner().etag();
  DF_RETURN_IF_ERROR(common::ApplyUpdateMask(request.practitioner(), request.update_mask(),
                                             kPractitionerUpdatable, practitioner));
  DF_ASSIGN_OR_RETURN(std::set<std::string> clinics, ClinicIds(caller.organization));
  common::FieldViolations v;
  ValidatePractitioner(practitioner, "practitioner", clinics, v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  Stamp(practitioner, clock_.Now(), false);
  DF_RETURN_IF_ERROR(store_.UpdatePractitioner(caller.organization, practitioner, expected));
  return practitioner;
}

absl::StatusOr<v1::ListPractitionersResponse> ResourceManager::ListPractitioners(
    const common::Caller& caller, const v1::ListPractitionersRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("ListPractitioners")));
  DF_ASSIGN_OR_RETURN(std::vector<v1::Practitioner> all,
                      store_.ListPractitioners(caller.organization));
  std::vector<v1::Practitioner> shown;
  for (auto& p : all) {
    if (p.archived() && !request.show_archived()) continue;
    if (!request.clinic_id().empty() && std::find(p.clinic_ids().begin(), p.clinic_ids().end(),
                                                  request.clinic_id()) == p.clinic_ids().end()) {
      continue;
    }
    if (request.qualified_category() != protocol::v1::PROTOCOL_CATEGORY_UNSPECIFIED &&
        std::find(p.qualified_categories().begin(), p.qualified_categories().end(),
                  request.qualified_category()) == p.qualified_categories().end()) {
      continue;
    }
    shown.push_back(std::move(p));
  }
  return Page(
      std::move(shown), page_tokens_, caller.organization, request,
      [](const v1::Practitioner& p) {
        return std::vector<std::string>{p.display_name(), p.id()};
      },
      &v1::ListPractitionersResponse::mutable_practitioners);
}

// --- rooms -------------------------------------------------------------------

absl::StatusOr<v1::Room> ResourceManager::CreateRoom(const common::Caller& caller,
                                                     const v1::CreateRoomRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("CreateRoom")));
  DF_ASSIGN_OR_RETURN(std::set<std::string> clinics, ClinicIds(caller.organization));
  common::FieldViolations v;
  common::ValidateRequestId(request.request_id(), v);
  ValidateRoom(request.room(), "room", clinics, v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  v1::Room room = request.room();
  room.set_id(NewId("rm"));
  Stamp(room, clock_.Now(), true);
  return store_.CreateRoom(caller.organization, room,
                           {request.request_id(), common::RequestFingerprint(request)});
}

absl::StatusOr<v1::Room> ResourceManager::GetRoom(const common::Caller& caller,
                                                  const v1::GetRoomRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("GetRoom")));
  if (request.id().empty()) return common::InvalidArgumentError("id", "required");
  return store_.GetRoom(caller.organization, request.id());
}

absl::StatusOr<v1::Room> ResourceManager::UpdateRoom(const common::Caller& caller,
                                                     const v1::UpdateRoomRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("UpdateRoom")));
  DF_RETURN_IF_ERROR(CheckUpdateRequest(request.room(), "room"));
  DF_ASSIGN_OR_RETURN(v1::Room room, store_.GetRoom(caller.organization, request.room().id()));
  const std::string expected = request.room().etag();
  DF_RETURN_IF_ERROR(
      common::ApplyUpdateMask(request.room(), request.update_mask(), kRoomUpdatable, room));
  common::FieldViolations v;
  ValidateRoom(room, "room", {room.clinic_id()}, v);
  DF_RETURN_IF_ERROR(v.ToStatus());
  Stamp(room, clock_.Now(), false);
  DF_RETURN_IF_ERROR(store_.UpdateRoom(caller.organization, room, expected));
  return room;
}

absl::StatusOr<v1::ListRoomsResponse> ResourceManager::ListRooms(
    const common::Caller& caller, const v1::ListRoomsRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(caller, RolesOf("ListRooms")));
  DF_ASSIGN_OR_RETURN(std::vector<v1::Room> all, store_.ListRooms(caller.organization));
  std::vector<v1::Room> shown;
  for (auto& r : all) {
    if (r.archived() && !request.show_archived()) continue;
    if (!request.clinic_id().empty() && r.clinic_id() != request.clinic_id()) continue;
    shown.push_back(std::move(r));
  }
  return Page(
      std::move(shown), page_tokens_, caller.organization, request,
      [](const v1::Room& r) {
        return std::vector<std::string>{r.clinic_id(), r.display_name(), r.id()};
      },
      &v1::ListRoomsResponse::mutable_rooms);
}

}  // namespace dermaflow::scheduling
