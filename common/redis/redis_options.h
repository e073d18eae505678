// Where and how to reach Redis, parsed from the one URL every service takes
// as a flag (`--redis_url`, env `REDIS_URL`).
//
//   DF_ASSIGN_OR_RETURN(RedisOptions options,
//                       ParseRedisUrl("redis://:s3cret@redis:6379/2"));
//   options.pool_size = 16;  // tune after parsing; the URL only says where
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::common {

struct RedisAddress {
  std::string host;
  int port = 0;
  friend bool operator==(const RedisAddress&, const RedisAddress&) = default;
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Sentinel mode when not empty: the sentinels to ask for the primary of
  // `sentinel_master`; host and port are then not used.
  std::vector<RedisAddress> sentinels;
  std::string sentinel_master;
  int db = 0;
  // Redis 6 ACL user; empty means the legacy `AUTH password` form.
  std::string username;
  // Empty means no AUTH on connect.
  std::string password;

  absl::Duration connect_timeout = absl::Seconds(1);
  // Socket read/write timeout of every command; blocking commands pass their
  // own (RedisClient::Command with a timeout).
  absl::Duration command_timeout = absl::Seconds(2);
  // Connections kept open at most; callers beyond that wait for a free one.
  // Services set it from --redis_pool_size (sized to the RPCs in flight).
  int pool_size = 8;
  // An idle connection is checked (one poll()) before reuse only when it has
  // been idle at least this long. A Redis restart or a killed client is seen
  // as EOF on sockets idle across it; a restart takes far longer than this,
  // so skipping the check on busier connections adds no failure that could
  // not already happen between the check and the command, and saves a
  // syscall per command under load.
  absl::Duration check_alive_after = absl::Milliseconds(5);

  // Writes marked durable (RedisClient::Eval with Durability::kReplicated)
  // wait until this many replicas have them (WAIT) before they count as
  // done; 0 turns the wait off. A write the replicas have not confirmed
  // within durable_timeout is reported UNAVAILABLE (it did run on the
  // primary, so only idempotent writes may be retried).
  int durable_replicas = 0;
  absl::Duration durable_timeout = absl::Seconds(1);

  // After a failed connect, new connects are not tried again before this
  // backoff has passed (doubling up to the max), so a Redis outage costs
  // callers a fast UNAVAILABLE instead of a connect timeout each.
  absl::Duration reconnect_backoff_initial = absl::Milliseconds(50);
  absl::Duration reconnect_backoff_max = absl::Seconds(1);
};

// Parses `redis://[[user]:password@]host[:port][/db]`. Port defaults to 6379,
// db to 0; user and password may be percent-encoded; IPv6 hosts go in
// brackets. Sentinel mode:
// `redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db]`
// (port 26379 by default; the credentials are sent to the sentinels too). Anything else (rediss://,
// query strings, bad port) is INVALID_ARGUMENT naming the problem. Timeouts and pool size keep
// their defaults.
absl::StatusOr<RedisOptions> ParseRedisUrl(std::string_view url);

// OK iff the options can work: host set, port 1..65535, db >= 0, pool_size
// >= 1, positive timeouts and backoffs. INVALID_ARGUMENT names the field.
absl::Status ValidateRedisOptions(const RedisOptions& options);

// "host:port/db" ("sentinel:<master>/db" in sentinel mode) without
// credentials, for logs and error messages.
std::string RedisEndpoint(const RedisOptions& options);

}  // namespace dermaflow::common
