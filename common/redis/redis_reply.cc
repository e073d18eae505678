#include "common/redis/redis_reply.h"

#include <hiredis/hiredis.h>

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/redis/internal/absl_view.h"

namespace dermaflow::common {
namespace {

// Marks statuses made from server error replies, so IsRedisError can tell
// them from our own INTERNAL errors without parsing messages.
constexpr absl::string_view kServerErrorPayload = "dermaflow.redis/server-error";

absl::string_view TypeName(RedisReply::Type type) {
  switch (type) {
    case RedisReply::Type::kNil:
      return "nil";
    case RedisReply::Type::kString:
      return "string";
    case RedisReply::Type::kInteger:
      return "integer";
    case RedisReply::Type::kArray:
      return "array";
    case RedisReply::Type::kStatus:
      return "status";
    case RedisReply::Type::kError:
      return "error";
    case RedisReply::Type::kDouble:
      return "double";
    case RedisReply::Type::kBool:
      return "bool";
    case RedisReply::Type::kMap:
      return "map";
    case RedisReply::Type::kSet:
      return "set";
  }
  return "unknown";
}

absl::Status WrongType(absl::string_view wanted, const RedisReply& reply) {
  if (reply.is_error()) return reply.ToStatus();
  return absl::InternalError(
      absl::StrCat("redis: expected ", wanted, " reply, got ", TypeName(reply.type())));
}

}  // namespace

RedisReply RedisReply::FromHiredis(const redisReply& reply) {
  RedisReply out;
  auto text = [&reply] { return std::string(reply.str, reply.len); };
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out = RedisReply(Type::kString, text());
      break;
    case REDIS_REPLY_STATUS:
      out = RedisReply(Type::kStatus, text());
      break;
    case REDIS_REPLY_ERROR:
      out = RedisReply(Type::kError, text());
      break;
    case REDIS_REPLY_INTEGER:
      out = Integer(reply.integer);
      break;
    case REDIS_REPLY_ARRAY:
      out.type_ = Type::kArray;
      break;
#ifdef REDIS_REPLY_DOUBLE  // hiredis >= 1.0 (RESP3)
    case REDIS_REPLY_DOUBLE:
      out = RedisReply(Type::kDouble, text());
      break;
    case REDIS_REPLY_BOOL:
      out = Integer(reply.integer);
      out.type_ = Type::kBool;
      break;
    case REDIS_REPLY_MAP:
      out.type_ = Type::kMap;
      break;
    case REDIS_REPLY_SET:
    case REDIS_REPLY_PUSH:
      out.type_ = Type::kSet;
      break;
    case REDIS_REPLY_BIGNUM:
    case REDIS_REPLY_VERB:
      out = RedisReply(Type::kString, text());
      break;
#endif
    default:  // REDIS_REPLY_NIL
      break;
  }
  if (out.is_array()) {
    out.elements_.reserve(reply.elements);
    for (size_t i = 0; i < reply.elements; ++i) {
      out.elements_.push_back(FromHiredis(*reply.element[i]));
    }
  }
  return out;
}

RedisReply RedisReply::Integer(int64_t value) {
  RedisReply reply;
  reply.type_ = Type::kInteger;
  reply.integer_ = value;
  return reply;
}

RedisReply RedisReply::Array(std::vector<RedisReply> elements) {
  RedisReply reply;
  reply.type_ = Type::kArray;
  reply.elements_ = std::move(elements);
  return reply;
}

absl::StatusOr<std::string> RedisReply::AsString() const {
  if (type_ == Type::kString || type_ == Type::kStatus) return str_;
  return WrongType("string", *this);
}

absl::StatusOr<std::optional<std::string>> RedisReply::AsOptionalString() const {
  if (is_nil()) return std::optional<std::string>();
  if (type_ == Type::kString || type_ == Type::kStatus) return std::optional<std::string>(str_);
  return WrongType("string or nil", *this);
}

absl::StatusOr<int64_t> RedisReply::AsInt() const {
  if (type_ == Type::kInteger || type_ == Type::kBool) return integer_;
  if (type_ == Type::kString || type_ == Type::kStatus) {
    int64_t value = 0;
    if (absl::SimpleAtoi(str_, &value)) return value;
    return absl::InternalError("redis: expected an integer, got a non-numeric string");
  }
  return WrongType("integer", *this);
}

absl::Status RedisReply::ToStatus() const {
  if (!is_error()) return absl::OkStatus();
  return RedisErrorStatus(str_);
}

std::string RedisReply::DebugString() const {
  switch (type_) {
    case Type::kNil:
      return "(nil)";
    case Type::kInteger:
      return absl::StrCat("(integer) ", integer_);
    case Type::kBool:
      return integer_ ? "(true)" : "(false)";
    case Type::kError:
      return absl::StrCat("(error) ", absl::CHexEscape(str_));
    case Type::kStatus:
      return absl::StrCat("(status) ", absl::CHexEscape(str_));
    case Type::kDouble:
      return absl::StrCat("(double) ", str_);
    case Type::kString:
      return absl::StrCat("\"", absl::CHexEscape(str_), "\"");
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
      return absl::StrCat("[",
                          absl::StrJoin(elements_, ", ",
                                        [](std::string* out, const RedisReply& r) {
                                          out->append(r.DebugString());
                                        }),
                          "]");
  }
  return "?";
}

absl::Status RedisErrorStatus(std::string_view error_text) {
  const absl::string_view text = redis_internal::ToAbsl(error_text);
  // What a Redis Cluster node says when it did not run the command and the
  // client's redirections ran out: the cluster is (for now) unavailable, not
  // the request wrong.
  const bool cluster_unavailable =
      absl::StartsWith(text, "CLUSTERDOWN") || absl::StartsWith(text, "TRYAGAIN") ||
      absl::StartsWith(text, "MOVED ") || absl::StartsWith(text, "ASK ");
  absl::Status status =
      cluster_unavailable ? absl::UnavailableError(text) : absl::InternalError(text);
  status.SetPayload(kServerErrorPayload, absl::Cord());
  return status;
}

bool IsRedisError(const absl::Status& status, std::string_view prefix) {
  return (status.code() == absl::StatusCode::kInternal ||
          status.code() == absl::StatusCode::kUnavailable) &&
         status.GetPayload(kServerErrorPayload).has_value() &&
         absl::StartsWith(status.message(), redis_internal::ToAbsl(prefix));
}

}  // namespace dermaflow::common
