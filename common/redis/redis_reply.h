// An owned copy of one Redis reply, so no hiredis type or manual free ever
// reaches service code.
//
//   DF_ASSIGN_OR_RETURN(RedisReply reply, redis.Command({"GET", key}));
//   if (reply.is_nil()) return absl::NotFoundError(...);
//   DF_ASSIGN_OR_RETURN(std::string value, reply.AsString());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct redisReply;  // hiredis; only redis_reply.cc and the client touch it.

namespace dermaflow::common {

class RedisReply {
 public:
  // RESP2 types, plus the RESP3 ones so a newer hiredis converts losslessly
  // (RESP3 maps and sets arrive flattened into elements()).
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError, kDouble, kBool, kMap, kSet };

  RedisReply() = default;  // nil
  // Deep copy; the caller still owns (and frees) `reply`.
  static RedisReply FromHiredis(const redisReply& reply);

  // Builders, for tests and for code that assembles replies.
  static RedisReply Nil() { return RedisReply(); }
  static RedisReply String(std::string value) {
    return RedisReply(Type::kString, std::move(value));
  }
  static RedisReply Status(std::string value) {
    return RedisReply(Type::kStatus, std::move(value));
  }
  static RedisReply Error(std::string message) {
    return RedisReply(Type::kError, std::move(message));
  }
  static RedisReply Integer(int64_t value);
  static RedisReply Array(std::vector<RedisReply> elements);

  Type type() const { return type_; }
  bool is_nil() const { return type_ == Type::kNil; }
  bool is_error() const { return type_ == Type::kError; }
  bool is_array() const {
    return type_ == Type::kArray || type_ == Type::kMap || type_ == Type::kSet;
  }

  // Raw payload: bulk/status string, error text, or a double/big number as
  // Redis sent it. Empty for nil, integer and array replies.
  const std::string& str() const { return str_; }
  int64_t integer() const { return integer_; }
  const std::vector<RedisReply>& elements() const { return elements_; }
  std::vector<RedisReply>& elements() { return elements_; }

  // A string or status reply's text. Any other type is INTERNAL: it means a
  // script or key holds something the code did not write, never bad input.
  // An error reply gives its own status (see ToStatus).
  absl::StatusOr<std::string> AsString() const;
  // Like AsString, but nil is std::nullopt (GET, HGET on a missing field).
  absl::StatusOr<std::optional<std::string>> AsOptionalString() const;
  // An integer reply, or a string holding a decimal integer (what HGET or a
  // Lua `tostring` returns).
  absl::StatusOr<int64_t> AsInt() const;

  // OK unless this is an error reply; then INTERNAL with the server's text
  // (UNAVAILABLE for cluster errors; see RedisErrorStatus and IsRedisError).
  absl::Status ToStatus() const;

  // Human-readable, for test failures and debugging; binary bytes escaped.
  std::string DebugString() const;

  friend bool operator==(const RedisReply&, const RedisReply&) = default;

 private:
  RedisReply(Type type, std::string str) : type_(type), str_(std::move(str)) {}

  Type type_ = Type::kNil;
  std::string str_;
  int64_t integer_ = 0;
  std::vector<RedisReply> elements_;
};

// INTERNAL status whose message is exactly the server's error text and which
// IsRedisError recognizes; UNAVAILABLE for the Redis Cluster errors that say
// the command did not run (CLUSTERDOWN, TRYAGAIN, MOVED, ASK: what is left
// when the client's redirections ran out).
absl::Status RedisErrorStatus(std::string_view error_text);

// True if `status` came from a Redis error reply (not a connection problem)
// and its text starts with `prefix`. Lua scripts signal domain outcomes with
// `redis.error_reply("CONFLICT ...")`; stores map them with this:
//   if (IsRedisError(s, "CONFLICT")) return absl::AlreadyExistsError(...);
bool IsRedisError(const absl::Status& status, std::string_view prefix = "");

}  // namespace dermaflow::common
