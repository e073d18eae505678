// ResourceStore on Redis: each resource a hash {pb, etag}, a set of ids per
// kind, hashes of unique names; every write is one commit.lua call.
#pragma once

#include "common/redis/redis_client.h"
#include "services/scheduling/store/resource_store.h"

namespace dermaflow::scheduling {

class RedisResourceStore : public ResourceStore {
 public:
  // `redis` must outlive the store.
  explicit RedisResourceStore(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<std::string> PageTokenSecret() override;

  absl::StatusOr<v1::Clinic> CreateClinic(const std::string& org, const v1::Clinic& clinic,
                                          const CreateRequest& request) override;
  absl::StatusOr<v1::Clinic> GetClinic(const std::string& org, const std::string& id) override;
  absl::Status UpdateClinic(const std::string& org, const v1::Clinic& clinic,
                            const std::string& expected_etag) override;
  absl::StatusOr<std::vector<v1::Clinic>> ListClinics(const std::string& org) override;

  absl::StatusOr<v1::Practitioner> CreatePractitioner(const std::string& org,
                                                      const v1::Practitioner& practitioner,
                                                      const CreateRequest& request) override;
  absl::StatusOr<v1::Practitioner> GetPractitioner(const std::string& org,
                                                   const std::string& id) override;
  absl::Status UpdatePractitioner(const std::string& org, const v1::Practitioner& practitioner,
                                  const std::string& expected_etag) override;
  absl::StatusOr<std::vector<v1::Practitioner>> ListPractitioners(const std::string& org) override;
  absl::StatusOr<std::optional<v1::Practitioner>> FindPractitionerBySubject(
      const std::string& org, const std::string& subject) override;

  absl::StatusOr<v1::Room> CreateRoom(const std::string& org, const v1::Room& room,
                                      const CreateRequest& request) override;
  absl::StatusOr<v1::Room> GetRoom(const std::string& org, const std::string& id) override;
  absl::Status UpdateRoom(const std::string& org, const v1::Room& room,
                          const std::string& expected_etag) override;
  absl::StatusOr<std::vector<v1::Room>> ListRooms(const std::string& org) override;

  absl::StatusOr<BookingResources> GetBookingResources(const std::string& org,
                                                       const std::string& clinic_id,
                                                       const std::string& practitioner_id,
                                                       const std::string& room_id) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::scheduling
