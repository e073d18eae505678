// Scheduling's share of the event streams: the consumer group "scheduling"
// reads every organization's events and acts on two kinds:
// - patient.erased frees the erased patient's calendar (PatientErasure);
// - appointment.cancelled (any reason: reception, a declined confirmation,
//   erasure) and appointment.rescheduled (the old time) free a slot, which
//   goes to the waitlist (SlotOffers::OnSlotFreed; recorded once per slot,
//   so a replay offers nothing twice).
// Every other event is acked unread. A failure leaves the event pending, so
// it comes back (to this replica or another) after the consumer's min_idle;
// success is idempotent, so a replay is harmless.
//
// A refused or failing Redis is never silent: an error log line (the first
// of a burst, then one per 30 s with the count left out),
// dermaflow_scheduling_erasures_total{outcome="failed"} or
// dermaflow_scheduling_waitlist_failures_total{stage="intake"}, and the
// alerts DermaflowErasureCalendarFailing / DermaflowWaitlistOffersFailing
// (deploy/prometheus).
//
//   EventIntake intake(runtime->redis(), erasure, registry, {.consumer =
//   "scheduling-<host>-<pid>"}, &slot_offers, &waitlist_metrics); intake.Start(); ...
//   intake.Stop();
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/events/event_consumer.h"
#include "common/metrics/failure_log_limiter.h"
#include "common/redis/redis_client.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/scheduling/app/appointments/patient_erasure.h"
#include "services/scheduling/app/waitlist/slot_offers.h"

namespace dermaflow::scheduling {

class EventIntake {
 public:
  // Everything referenced must outlive the intake. Without `offers` freed
  // slots are acked unread (no waitlist); `waitlist_metrics` is needed with it.
  EventIntake(common::RedisClient& redis, PatientErasure& erasure, prometheus::Registry& registry,
              common::EventConsumerOptions options, SlotOffers* offers = nullptr,
              WaitlistMetrics* waitlist_metrics = nullptr);
  ~EventIntake();  // Stops.

  void Start();  // a thread polling until Stop(); once
  void Stop();   // returns within one poll (the consumer's block_timeout)

  // One poll: handles what it read, acks what is done. Tests call it.
  absl::Status PollOnce();

 private:
  absl::Status Handle(const common::ConsumedEvent& event);
  absl::Status HandleErasure(const common::ConsumedEvent& event);
  absl::Status HandleFreedSlot(const std::string& org, const events::v1::AppointmentInfo& freed,
                               const google::protobuf::Timestamp& start);

  common::EventConsumer consumer_;
  PatientErasure& erasure_;
  prometheus::Counter& freed_;
  prometheus::Counter& failed_;
  common::FailureLogLimiter poll_failures_{absl::Seconds(30)};
  common::FailureLogLimiter erasure_failures_{absl::Seconds(30)};
  SlotOffers* offers_;
  WaitlistMetrics* waitlist_metrics_;
  common::FailureLogLimiter offer_failures_{absl::Seconds(30)};
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace dermaflow::scheduling
