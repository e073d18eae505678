// The connection pool of the primary that Redis Sentinel names, swapped for
// a new one when the primary changes: announced by +switch-master, or
// suspected when a command fails the way a demoted or vanished primary
// makes it fail (UNAVAILABLE, READONLY, a WAIT short of replicas); the
// watch thread then asks the sentinels again.
//
//   SentinelPrimary primary(options, metrics);  // options.sentinels, sentinel_master
//   DF_ASSIGN_OR_RETURN(std::shared_ptr<ConnectionPool> pool, primary.Pool());
//   ... on UNAVAILABLE or a READONLY reply: primary.Suspect();
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/internal/connection_pool.h"
#include "common/redis/internal/sentinel.h"
#include "common/redis/redis_metrics.h"

namespace dermaflow::common::redis_internal {

class SentinelPrimary {
 public:
  // Asks options.sentinels for options.sentinel_master; connects to the
  // primary with the rest of `options`. Starts the +switch-master watch;
  // never blocks on the network.
  SentinelPrimary(const RedisOptions& options, RedisMetrics* metrics);
  ~SentinelPrimary();

  // The current primary's pool, locating the primary first when none is
  // known. UNAVAILABLE (naming why) when the sentinels cannot say.
  absl::StatusOr<std::shared_ptr<ConnectionPool>> Pool();

  // Has the watch ask the sentinels again soon; never waits for them.
  void Suspect();

 private:
  void SwitchTo(const RedisNodeAddress& node);
  void InstallLocked(const RedisNodeAddress& node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  SentinelLocator locator_;
  RedisMetrics* const metrics_;
  absl::Mutex mu_;
  RedisNodeAddress current_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<ConnectionPool> pool_ ABSL_GUARDED_BY(mu_);
  absl::Time last_located_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status locate_error_ ABSL_GUARDED_BY(mu_) =
      absl::UnavailableError("redis sentinel: locating the primary");
  // Last: it calls SwitchTo from its thread, so it must stop first.
  std::unique_ptr<SentinelSwitchWatch> watch_;
};

}  // namespace dermaflow::common::redis_internal
