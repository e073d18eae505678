// The heartbeat of the claims a dispatcher is working on: a few times per
// lease it renews their leases (ReminderQueue::RenewClaims), so a send that
// takes longer than the lease keeps its claim, while the claims of a replica
// that died run out within one lease and any replica takes them over. A
// claim the renewal finds no longer ours (this replica could not renew in
// time, e.g. Redis was out of reach, and another one took it over) is marked
// lost, and the dispatcher leaves it to its new owner instead of sending it.
//
//   ClaimHeartbeat heartbeat(queue, lease);
//   heartbeat.Start();
//   heartbeat.Hold(org, claimed);            // after ClaimDue
//   if (!heartbeat.Lost(org, id)) Send(...); // before each send
//   heartbeat.Release(org, id);              // once its outcome is recorded
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/periodic_thread.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

class ClaimHeartbeat {
 public:
  // Renews every lease / 3: two renewals may fail before a claim runs out.
  ClaimHeartbeat(ReminderQueue& queue, absl::Duration lease);
  ~ClaimHeartbeat();

  void Start();
  void Stop();

  void Hold(const std::string& org, const std::vector<ClaimedReminder>& claims);
  void Release(const std::string& org, const std::string& id);
  // True once a renewal found the claim taken over or ended.
  bool Lost(const std::string& org, const std::string& id) const;

  // One round of renewals (the thread's task; tests call it directly).
  absl::Status Renew();

 private:
  struct Claim {
    int64_t token = 0;
    bool lost = false;
  };

  ReminderQueue& queue_;
  const absl::Duration lease_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, Claim>> held_;  // org -> id -> claim
  common::PeriodicThread thread_;
};

}  // namespace dermaflow::notification
