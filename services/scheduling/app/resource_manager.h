// Clinics, practitioners and rooms: Create/Get/Update/List with the API's
// conventions (roles, field validation naming each field, request_id
// idempotency, update_mask + etag, ordered pages). Plain class: tests and
// the gRPC handlers call it directly.
//
//   ResourceManager manager(store, clock);
//   DF_ASSIGN_OR_RETURN(v1::Clinic clinic, manager.CreateClinic(caller, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "common/auth/caller.h"
#include "common/clock/clock.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/store/resource_store.h"

namespace dermaflow::scheduling {

class ResourceManager {
 public:
  // `store` and `clock` must outlive the manager.
  ResourceManager(ResourceStore& store, const common::Clock& clock)
      : store_(store), clock_(clock), page_tokens_([&store] { return store.PageTokenSecret(); }) {}

  absl::StatusOr<v1::Clinic> CreateClinic(const common::Caller& caller,
                                          const v1::CreateClinicRequest& request);
  absl::StatusOr<v1::Clinic> GetClinic(const common::Caller& caller,
                                       const v1::GetClinicRequest& request);
  absl::StatusOr<v1::Clinic> UpdateClinic(const common::Caller& caller,
                                          const v1::UpdateClinicRequest& request);
  absl::StatusOr<v1::ListClinicsResponse> ListClinics(const common::Caller& caller,
                                                      const v1::ListClinicsRequest& request);

  absl::StatusOr<v1::Practitioner> CreatePractitioner(const common::Caller& caller,
                                                      const v1::CreatePractitionerRequest& request);
  absl::StatusOr<v1::Practitioner> GetPractitioner(const common::Caller& caller,
                                                   const v1::GetPractitionerRequest& request);
  absl::StatusOr<v1::Practitioner> UpdatePractitioner(const common::Caller& caller,
                                                      const v1::UpdatePractitionerRequest& request);
  absl::StatusOr<v1::ListPractitionersResponse> ListPractitioners(
      const common::Caller& caller, const v1::ListPractitionersRequest& request);

  absl::StatusOr<v1::Room> CreateRoom(const common::Caller& caller,
                                      const v1::CreateRoomRequest& request);
  absl::StatusOr<v1::Room> GetRoom(const common::Caller& caller, const v1::GetRoomRequest& request);
  absl::StatusOr<v1::Room> UpdateRoom(const common::Caller& caller,
                                      const v1::UpdateRoomRequest& request);
  absl::StatusOr<v1::ListRoomsResponse> ListRooms(const common::Caller& caller,
                                                  const v1::ListRoomsRequest& request);

 private:
  absl::StatusOr<std::set<std::string>> ClinicIds(const std::string& org);

  ResourceStore& store_;
  const common::Clock& clock_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::scheduling
