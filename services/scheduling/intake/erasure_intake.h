// Scheduling's share of the event streams: the consumer group "scheduling"
// reads every organization's events and acts on one kind, patient.erased,
// by freeing the erased patient's calendar (PatientErasure); every other
// event is acked unread. A failure leaves the event pending, so it comes back
// (to this replica or another) after the consumer's min_idle; success is
// idempotent, so a replay is harmless.
//
// A refused or failing Redis is never silent: an error log line (the first
// of a burst, then one per 30 s with the count left out),
// dermaflow_scheduling_erasures_total{outcome="failed"}, and the alert
// DermaflowErasureCalendarFailing (deploy/prometheus).
//
//   ErasureIntake intake(runtime->redis(), erasure, registry, {.consumer =
//   "scheduling-<host>-<pid>"}); intake.Start();  ...  intake.Stop();
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

namespace dermaflow::scheduling {

class ErasureIntake {
 public:
  // `redis`, `erasure` and `registry` must outlive the intake.
  ErasureIntake(common::RedisClient& redis, PatientErasure& erasure, prometheus::Registry& registry,
                common::EventConsumerOptions options);
  ~ErasureIntake();  // Stops.

  void Start();  // a thread polling until Stop(); once
  void Stop();   // returns within one poll (the consumer's block_timeout)

  // One poll: handles what it read, acks what is done. Tests call it.
  absl::Status PollOnce();

 private:
  absl::Status Handle(const common::ConsumedEvent& event);

  common::EventConsumer consumer_;
  PatientErasure& erasure_;
  prometheus::Counter& freed_;
  prometheus::Counter& failed_;
  common::FailureLogLimiter poll_failures_{absl::Seconds(30)};
  common::FailureLogLimiter erasure_failures_{absl::Seconds(30)};
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace dermaflow::scheduling
