// Storage of an organization's clinics, practitioners and rooms, behind an
// interface so the managers never see Redis. Resources arrive complete (id,
// etag, times set by the caller); the store enforces what must be atomic:
// request_id idempotency, etag compare-and-set and unique names.
//
//   DF_ASSIGN_OR_RETURN(v1::Clinic stored, store.CreateClinic(org, clinic, {request_id, fp}));
//   DF_RETURN_IF_ERROR(store.UpdateClinic(org, changed, /*expected_etag=*/read.etag()));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::scheduling {

// A create's idempotency key: the same request_id with the same fingerprint
// returns the first result; with another fingerprint it is INVALID_ARGUMENT.
struct CreateRequest {
  std::string request_id;
  std::string fingerprint;
};

// What a booking is made with, read together (GetBookingResources).
struct BookingResources {
  v1::Clinic clinic;
  v1::Practitioner practitioner;
  std::optional<v1::Room> room;  // when a room was asked for
};

class ResourceStore {
 public:
  virtual ~ResourceStore() = default;

  // The secret the API's page tokens are sealed under (common/api/page_token.h).
  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;

  // Create* return what is stored: the new resource, or the one the request
  // created the first time. Update* replace the resource if its stored etag
  // is `expected_etag` (ABORTED ETAG_MISMATCH otherwise, NOT_FOUND when
  // missing). Get* are NOT_FOUND with ResourceInfo. List* return all, in no
  // particular order.
  virtual absl::StatusOr<v1::Clinic> CreateClinic(const std::string& org, const v1::Clinic& clinic,
                                                  const CreateRequest& request) = 0;
  virtual absl::StatusOr<v1::Clinic> GetClinic(const std::string& org, const std::string& id) = 0;
  virtual absl::Status UpdateClinic(const std::string& org, const v1::Clinic& clinic,
                                    const std::string& expected_etag) = 0;
  virtual absl::StatusOr<std::vector<v1::Clinic>> ListClinics(const std::string& org) = 0;

  // Practitioner subjects are unique in the organization (ALREADY_EXISTS
  // SUBJECT_IN_USE naming the holder).
  virtual absl::StatusOr<v1::Practitioner> CreatePractitioner(const std::string& org,
                                                              const v1::Practitioner& practitioner,
                                                              const CreateRequest& request) = 0;
  virtual absl::StatusOr<v1::Practitioner> GetPractitioner(const std::string& org,
                                                           const std::string& id) = 0;
  virtual absl::Status UpdatePractitioner(const std::string& org,
                                          const v1::Practitioner& practitioner,
                                          const std::string& expected_etag) = 0;
  virtual absl::StatusOr<std::vector<v1::Practitioner>> ListPractitioners(
      const std::string& org) = 0;
  virtual absl::StatusOr<std::optional<v1::Practitioner>> FindPractitionerBySubject(
      const std::string& org, const std::string& subject) = 0;

  // Room names are unique per clinic, ignoring case (ALREADY_EXISTS
  // DISPLAY_NAME_IN_USE naming the holder).
  virtual absl::StatusOr<v1::Room> CreateRoom(const std::string& org, const v1::Room& room,
                                              const CreateRequest& request) = 0;
  virtual absl::StatusOr<v1::Room> GetRoom(const std::string& org, const std::string& id) = 0;
  virtual absl::Status UpdateRoom(const std::string& org, const v1::Room& room,
                                  const std::string& expected_etag) = 0;
  virtual absl::StatusOr<std::vector<v1::Room>> ListRooms(const std::string& org) = 0;

  // GetClinic, GetPractitioner and (unless `room_id` is empty) GetRoom in one
  // round trip; errors as theirs, the clinic's first, then the
  // practitioner's, then the room's.
  virtual absl::StatusOr<BookingResources> GetBookingResources(const std::string& org,
                                                               const std::string& clinic_id,
                                                               const std::string& practitioner_id,
                                                               const std::string& room_id) = 0;
};

}  // namespace dermaflow::scheduling
