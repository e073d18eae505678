// One hiredis connection: connect (with AUTH and SELECT), send commands,
// read replies. Private to RedisClient; not thread-safe (the pool hands each
// connection to one caller at a time).
//
//   DF_ASSIGN_OR_RETURN(auto conn, Connection::Open(options));
//   DF_ASSIGN_OR_RETURN(auto replies, conn->Execute({{"PING"}}, timeout));
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_metrics.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

struct redisContext;

namespace dermaflow::common::redis_internal {

class Connection {
 public:
  // UNAVAILABLE if Redis cannot be reached within connect_timeout, or if AUTH
  // or SELECT is refused (the message says which; never the password).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const RedisOptions& options);
  ~Connection();

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends every command in one write and reads one reply per command; error
  // replies come back as replies. Any I/O failure or timeout marks the
  // connection broken and is UNAVAILABLE: after a half-read reply the stream
  // cannot be trusted, so it is never reused.
  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout);

  // For a connection that SUBSCRIBEd: the next message Redis pushes, or
  // nullopt when none (or only part of one) arrives within `wait`.
  // UNAVAILABLE when the connection fails.
  absl::StatusOr<std::optional<RedisReply>> ReadPushed(absl::Duration wait);

  // Execute in two halves, so a caller with commands for several servers
  // can write to all of them before waiting for any (one round trip in all):
  // Send writes every command; Receive then reads `count` replies. Failures
  // mark the connection broken, as in Execute.
  // The commands are where the pointers say (so nothing is copied).
  absl::Status Send(const std::vector<const std::vector<std::string>*>& commands,
                    absl::Duration timeout);
  absl::StatusOr<std::vector<RedisReply>> Receive(size_t count, absl::Duration timeout);

  bool broken() const { return broken_; }

  // From now on, failures of this connection (timeout, io) and error
  // replies by which the node says it cannot serve (internal/node_error.h)
  // are reported to `metrics` as `node`'s (RedisMetrics::OnNodeError).
  // Before this (AUTH, SELECT while opening) nothing is: the pool counts a
  // failed open as "connect".
  void ReportErrorsTo(RedisMetrics* metrics, std::string node) {
    metrics_ = metrics;
    node_ = std::move(node);
  }

  // Cheap check before reuse: an idle connection must have nothing to read.
  // If Redis restarted, the old socket is readable (EOF) and we drop it
  // instead of failing the caller's command on it.
  bool LooksAlive() const;

  // When the pool last took this connection back (InfinitePast: never lent).
  absl::Time idle_since() const { return idle_since_; }
  void set_idle_since(absl::Time when) { idle_since_ = when; }

 private:
  Connection(redisContext* context, std::string endpoint, absl::Duration timeout);
  absl::Status Fail(absl::string_view what, absl::Duration timeout);
  absl::Status UseTimeout(absl::Duration timeout);
  // Buffers one command in hiredis' output buffer (no I/O yet).
  absl::Status Append(const std::vector<std::string>& command, absl::Duration timeout);

  redisContext* context_;
  std::string endpoint_;
  absl::Duration socket_timeout_;
  bool broken_ = false;
  RedisMetrics* metrics_ = nullptr;
  std::string node_;
  absl::Time idle_since_ = absl::InfinitePast();
  // Scratch space of Append, kept to save two allocations per command.
  std::vector<const char*> argv_;
  std::vector<size_t> argv_len_;
};

}  // namespace dermaflow::common::redis_internal
