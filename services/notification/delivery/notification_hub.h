// The live side of WatchNotifications: one feeder thread tails the delivery
// streams (`df:{org}:dlv:stream`, appended atomically with every delivery by
// any replica while some replica marks the organization as watched) of the
// organizations someone watches here, and hands each
// delivery to the matching watchers; each watcher's RPC thread writes its own
// queue to its stream. Bounded: at most max_watchers streams, each with a
// bounded queue (a watcher that falls behind is ended with UNAVAILABLE and
// catches up with ListDeliveries, as the API says).
//
//   NotificationHub hub(store.deliveries(), {});
//   absl::Status s = hub.Watch(org, filter, [&](const Delivery& d) { return writer->Write(d); },
//                              [&] { return ctx->IsCancelled(); });
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/quota/org_limit_refusals.h"
#include "services/notification/store/delivery_store.h"

namespace dermaflow::notification {

struct WatchFilter {
  std::string patient_id;                                 // empty: all patients
  std::vector<dermaflow::patient::v1::Channel> channels;  // empty: all
  bool Matches(const v1::Delivery& delivery) const;
};

struct NotificationHubOptions {
  int max_watchers = 256;
  // Per organization on this replica, so one tenant cannot take every slot:
  // past it RESOURCE_EXHAUSTED with QuotaFailure.
  int max_watchers_per_org = 32;
  size_t max_queued = 1'000;
  absl::Duration poll_block = absl::Seconds(1);
  // The feeder gives up (ending every stream with UNAVAILABLE) after Redis
  // failed this long.
  absl::Duration source_outage = absl::Seconds(15);
  // How long the "watched" mark outlives this replica's last refresh of it.
  absl::Duration watched_ttl = absl::Seconds(15);
};

class NotificationHub {
 public:
  // `refusals` (optional, outlives the hub) counts and logs the streams
  // refused by max_watchers_per_org like every per-organization limit.
  NotificationHub(DeliveryStore& deliveries, NotificationHubOptions options,
                  common::OrgLimitRefusals* refusals = nullptr);
  ~NotificationHub();

  // Streams `org`'s deliveries that match `filter`, from now on, through
  // `write` (false: the client is gone) until `cancelled()`. Returns OK when
  // the client left, UNAVAILABLE when the hub shuts down, lost Redis, the
  // watcher fell behind or too many are watching.
  absl::Status Watch(const std::string& org, const WatchFilter& filter,
                     const std::function<bool(const v1::Delivery&)>& write,
                     const std::function<bool()>& cancelled);

  // Ends every stream (UNAVAILABLE) and stops the feeder. Idempotent.
  void Shutdown();

  int watchers() const;

 private:
  struct Watcher {
    std::string org;
    WatchFilter filter;
    std::deque<v1::Delivery> queue;
    absl::Status end;  // set (non-OK) when the hub ends the stream
    bool ended = false;
    std::condition_variable cv;
  };

  void Feed();
  void EndAllLocked(const absl::Status& status);  // mu_ held

  DeliveryStore& deliveries_;
  const NotificationHubOptions options_;
  mutable std::mutex mu_;
  std::condition_variable feeder_cv_;
  // The first limit a new watcher of `org` would pass, or OK.
  absl::Status AdmitLocked(const std::string& org) const;  // mu_ held

  std::set<Watcher*> watchers_;
  std::map<std::string, int> watchers_per_org_;
  common::OrgLimitRefusals* const refusals_;
  std::map<std::string, std::string> positions_;  // org -> last stream id read
  bool stopping_ = false;
  std::thread feeder_;
};

}  // namespace dermaflow::notification
