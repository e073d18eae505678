// Finding the primary through Redis Sentinel, as Redis's guidelines for
// Sentinel clients describe: ask the sentinels in turn for the primary of a
// named master, trust the answer only once ROLE on that address says
// "master", and follow +switch-master announcements.
//
//   SentinelLocator locator(sentinels, "dermaflow", node_options);
//   DF_ASSIGN_OR_RETURN(RedisNodeAddress primary, locator.Locate());
//   SentinelSwitchWatch watch(locator, [&](const RedisNodeAddress& p) { Use(p); });
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_options.h"

namespace dermaflow::common::redis_internal {

class SentinelLocator {
 public:
  // `node` carries the credentials (used for the sentinels too, as most
  // deployments configure them) and the timeouts; its host and port are
  // ignored.
  SentinelLocator(std::vector<RedisNodeAddress> sentinels, std::string master_name,
                  RedisOptions node);

  // The primary's address, confirmed by ROLE. The sentinel that answered is
  // asked first next time. UNAVAILABLE saying why when no sentinel answers,
  // none knows the master, or the address it gives is not (yet) a primary.
  absl::StatusOr<RedisNodeAddress> Locate();

  // Options for a connection to `node`: the credentials, db and timeouts.
  RedisOptions OptionsFor(const RedisNodeAddress& node) const;
  std::vector<RedisNodeAddress> Sentinels();
  const std::string& master_name() const { return master_name_; }

 private:
  absl::StatusOr<RedisNodeAddress> AskSentinel(const RedisNodeAddress& sentinel);

  const std::string master_name_;
  const RedisOptions node_;
  absl::Mutex mu_;
  std::vector<RedisNodeAddress> sentinels_ ABSL_GUARDED_BY(mu_);
};

// A thread subscribed to +switch-master on one sentinel at a time (the next
// one when it goes away). Calls `on_switch` with the new primary whenever
// one is announced for the locator's master, and with Locate()'s answer
// after every (re)subscription, every kRelocateEvery, and soon after
// RequestRelocate() — so a switch missed while disconnected, or behind a
// half-open subscription, is caught. All lookups run on this one thread, in
// order, so a slow lookup never undoes a newer answer, and callers never
// wait on the sentinels. Stops and joins on destruction.
class SentinelSwitchWatch {
 public:
  SentinelSwitchWatch(SentinelLocator& locator,
                      std::function<void(const RedisNodeAddress&)> on_switch);
  ~SentinelSwitchWatch();

  // Ask the sentinels again soon (a command failed as if the primary moved).
  void RequestRelocate() { relocate_ = true; }

  SentinelSwitchWatch(const SentinelSwitchWatch&) = delete;
  SentinelSwitchWatch& operator=(const SentinelSwitchWatch&) = delete;

 private:
  void Loop();
  // Listens on one sentinel until it fails or the watch stops.
  void ListenOn(const RedisNodeAddress& sentinel);
  // Locate() and on_switch with its answer; false when it failed.
  bool Relocate();

  SentinelLocator& locator_;
  const std::function<void(const RedisNodeAddress&)> on_switch_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> relocate_{false};
  std::thread thread_;
};

}  // namespace dermaflow::common::redis_internal
