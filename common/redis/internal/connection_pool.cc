#include "common/redis/internal/connection_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace dermaflow::common::redis_internal {

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(connection_));
}

ConnectionPool::ConnectionPool(RedisOptions options, RedisMetrics* metrics)
    : options_(std::move(options)),
      metrics_(metrics),
      node_(RedisNodeName({.host = options_.host, .port = options_.port})) {}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  const absl::Time deadline = absl::Now() + options_.command_timeout;
  std::vector<std::unique_ptr<Connection>> dead;  // closed outside the lock
  absl::MutexLock lock(&mu_);
  while (true) {
    while (!idle_.empty()) {
      // idle_ is a stack, so under load the connection just returned is
      // reused, and is too fresh to check (see RedisOptions::check_alive_after).
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (absl::Now() - connection->idle_since() < options_.check_alive_after) {
        return Lease(this, std::move(connection));
      }
      // The check is a poll() syscall: not under the lock, where every
      // other caller would wait for it.
      mu_.Unlock();
      const bool alive = connection->LooksAlive();
      mu_.Lock();
      if (alive) return Lease(this, std::move(connection));
      --open_;
      dead.push_back(std::move(connection));
    }
    if (open_ < std::max(options_.pool_size, 1)) {
      if (absl::Now() < next_connect_) {
        return absl::UnavailableError(absl::StrCat(
            last_connect_error_.message(), " (next reconnect attempt in ",
            absl::FormatDuration(absl::Ceil(next_connect_ - absl::Now(), absl::Milliseconds(1))),
            ")"));
      }
      ++open_;  // reserve the slot so concurrent callers respect pool_size
      mu_.Unlock();
      absl::StatusOr<std::unique_ptr<Connection>> connection = Connect();
      mu_.Lock();
      if (connection.ok()) {
        backoff_ = absl::ZeroDuration();
        next_connect_ = absl::InfinitePast();
        return Lease(this, *std::move(connection));
      }
      --open_;
      // Exponential backoff with jitter, so many processes do not reconnect
      // in lockstep after Redis comes back.
      backoff_ = backoff_ == absl::ZeroDuration()
                     ? options_.reconnect_backoff_initial
                     : std::min(backoff_ * 2, options_.reconnect_backoff_max);
      next_connect_ = absl::Now() + backoff_ * absl::Uniform(random_, 0.5, 1.0);
      last_connect_error_ = connection.status();
      return connection.status();
    }
    auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < std::max(options_.pool_size, 1);
    };
    if (!mu_.AwaitWithDeadline(absl::Condition(&can_proceed), deadline)) {
      return absl::UnavailableError(absl::StrCat(
          "redis ", RedisEndpoint(options_), ": all ", options_.pool_size,
          " connections stayed busy for ", absl::FormatDuration(options_.command_timeout)));
    }
  }
}

absl::StatusOr<std::unique_ptr<Connection>> ConnectionPool::Connect() {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(options_);
  if (metrics_ != nullptr) {
    metrics_->OnConnect(connection.status().code());
    if (connection.ok()) {
      (*connection)->ReportErrorsTo(metrics_, node_);
    } else {
      metrics_->OnNodeError(node_, "connect");
    }
  }
  return connection;
}

bool ConnectionPool::HasIdleConnection() {
  absl::MutexLock lock(&mu_);
  return !idle_.empty();
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  std::unique_ptr<Connection> dead;  // closed after the lock is released
  absl::MutexLock lock(&mu_);
  if (connection->broken()) {
    --open_;  // frees the slot; the next Acquire opens a fresh connection
    dead = std::move(connection);
  } else {
    connection->set_idle_since(absl::Now());
    idle_.push_back(std::move(connection));
  }
}

}  // namespace dermaflow::common::redis_internal
