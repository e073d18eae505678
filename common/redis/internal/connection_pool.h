// The pool behind RedisClient: at most pool_size connections, opened lazily,
// checked before reuse, dropped when broken, and re-opened with backoff so a
// Redis restart heals by itself and an outage fails callers fast.
//
//   ConnectionPool pool(options, metrics);
//   DF_ASSIGN_OR_RETURN(ConnectionPool::Lease conn, pool.Acquire());
//   conn->Execute(...);  // returned to the pool when `conn` goes away
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/internal/connection.h"
#include "common/redis/redis_metrics.h"
#include "common/redis/redis_options.h"

namespace dermaflow::common::redis_internal {

class ConnectionPool {
 public:
  // A connection lent to one caller; goes back (or, if broken, away) on
  // destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  ConnectionPool(RedisOptions options, RedisMetrics* metrics);

  // An idle connection that still looks alive, else a new one if fewer than
  // pool_size are open, else waits up to command_timeout for one to be
  // returned. UNAVAILABLE when connecting fails, while a previous failure's
  // backoff lasts, or when the wait runs out.
  absl::StatusOr<Lease> Acquire();

  const RedisOptions& options() const { return options_; }
  // "host:port" of the server, as Redis Cluster names its nodes.
  const std::string& node() const { return node_; }

  // True if a connection is open and idle: the server answered recently,
  // so asking it costs no connect (a cluster map reload asks these first).
  bool HasIdleConnection();

 private:
  void Release(std::unique_ptr<Connection> connection);
  absl::StatusOr<std::unique_ptr<Connection>> Connect();

  const RedisOptions options_;
  RedisMetrics* const metrics_;
  const std::string node_;  // "host:port", for per-node metrics

  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  // Idle + lent + being opened; never above pool_size.
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_connect_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Duration backoff_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  absl::Status last_connect_error_ ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common::redis_internal
