// Reading scheduling's Redis replies: protobuf values and script replies.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/redis/redis_reply.h"
#include "common/status/macros.h"

namespace dermaflow::scheduling {

// A serialized message from a string reply; INTERNAL when it does not parse
// (the key holds something this service did not write).
template <typename M>
absl::StatusOr<M> ParseReply(const common::RedisReply& reply) {
  DF_ASSIGN_OR_RETURN(std::string bytes, reply.AsString());
  M message;
  if (!message.ParseFromString(bytes)) {
    return absl::InternalError(
        absl::StrCat("stored ", M::descriptor()->full_name(), " does not parse"));
  }
  return message;
}

// True for a script's {'REPLAY', <id>} reply (a request_id seen before).
inline bool IsReplay(const common::RedisReply& reply) {
  return reply.is_array() && reply.elements().size() == 2 && reply.elements()[0].str() == "REPLAY";
}

}  // namespace dermaflow::scheduling
