// All of the notification store on one Redis: owns the narrow Redis stores
// (reminder queue, clinic cache, delivery store, event backlog, retention,
// parking) and is the ReminderStore facade the API uses, forwarding to
// them. The wiring hands each component the narrow part it needs.
//
//   RedisReminderStore store(runtime->redis());
//   EventIntake intake(redis, store.queue(), store.clinics(), store.events(), ...);
#pragma once

#include <string>

#include "common/redis/redis_client.h"
#include "services/notification/store/redis_clinic_cache.h"
#include "services/notification/store/redis_delivery_store.h"
#include "services/notification/store/redis_event_backlog.h"
#include "services/notification/store/redis_reminder_parking.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "services/notification/store/redis_reminder_retention.h"
#include "services/notification/store/reminder_store.h"

namespace dermaflow::notification {

class RedisReminderStore : public ReminderStore {
 public:
  explicit RedisReminderStore(common::RedisClient& redis, RedisReminderQueueOptions options = {})
      : redis_(redis),
        queue_(redis, options),
        clinics_(redis),
        deliveries_(redis),
        events_(redis),
        retention_(redis),
        parking_(redis) {}

  ReminderQueue& queue() { return queue_; }
  ClinicCache& clinics() { return clinics_; }
  DeliveryStore& deliveries() { return deliveries_; }
  EventBacklog& events() { return events_; }
  ReminderRetention& retention() { return retention_; }
  ReminderParking& parking() { return parking_; }

  absl::StatusOr<std::string> PageTokenSecret() override;

  // ReminderQueue, forwarded.
  absl::StatusOr<PlanningSnapshot> ReadForPlanning(
      const std::string& org, const std::vector<std::string>& patient_ids,
      const std::vector<std::string>& appointment_ids) override {
    return queue_.ReadForPlanning(org, patient_ids, appointment_ids);
  }
  absl::StatusOr<std::vector<WriteResult>> Write(const std::string& org,
                                                 const std::vector<WriteGroup>& groups) override {
    return queue_.Write(org, groups);
  }
  absl::Status ErasePatient(const std::string& org, const std::string& patient_id) override {
    return queue_.ErasePatient(org, patient_id);
  }
  absl::StatusOr<std::vector<DueProbe>> ProbeDue(const std::vector<std::string>& orgs,
                                                 absl::Time now) override {
    return queue_.ProbeDue(orgs, now);
  }
  absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string& org, absl::Time now,
                                                        absl::Duration lease, int max) override {
    return queue_.ClaimDue(org, now, lease, max);
  }
  absl::StatusOr<std::vector<std::string>> RenewClaims(const std::string& org,
                                                       const std::vector<HeldClaim>& claims,
                                                       absl::Duration lease) override {
    return queue_.RenewClaims(org, claims, lease);
  }
  absl::StatusOr<VersionedRecord> Get(const std::string& org, const std::string& id) override {
    return queue_.Get(org, id);
  }
  absl::StatusOr<ReminderPage> ListReminders(const std::string& org, const ReminderFilter& filter,
                                             int page_size,
                                             const std::optional<ListCursor>& after) override {
    return queue_.ListReminders(org, filter, page_size, after);
  }
  absl::StatusOr<ReminderPage> ListDeadLetters(const std::string& org, int page_size,
                                               const std::optional<ListCursor>& after) override {
    return queue_.ListDeadLetters(org, page_size, after);
  }
  absl::StatusOr<QueueCounts> CountQueue(const std::string& org, absl::Time now) override {
    return queue_.CountQueue(org, now);
  }

  // DeliveryStore, forwarded.
  absl::StatusOr<DeliveryPage> ListDeliveries(const std::string& org, const DeliveryFilter& filter,
                                              int page_size,
                                              const std::optional<ListCursor>& after) override {
    return deliveries_.ListDeliveries(org, filter, page_size, after);
  }
  absl::Status MarkWatched(const std::string& org, absl::Duration ttl) override {
    return deliveries_.MarkWatched(org, ttl);
  }
  absl::StatusOr<std::string> DeliveryStreamEnd(const std::string& org) override {
    return deliveries_.DeliveryStreamEnd(org);
  }
  absl::StatusOr<std::vector<StreamedDelivery>> ReadDeliveryStreams(
      std::map<std::string, std::string>& positions, absl::Duration block) override {
    return deliveries_.ReadDeliveryStreams(positions, block);
  }

 private:
  common::RedisClient& redis_;
  RedisReminderQueue queue_;
  RedisClinicCache clinics_;
  RedisDeliveryStore deliveries_;
  RedisEventBacklog events_;
  RedisReminderRetention retention_;
  RedisReminderParking parking_;
};

}  // namespace dermaflow::notification
