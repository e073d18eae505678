#include "common/redis/internal/node_error.h"

#include "absl/strings/match.h"

namespace dermaflow::common::redis_internal {

std::string_view NodeErrorKindOfReply(const RedisReply& reply) {
  if (!reply.is_error()) return "";
  const std::string& text = reply.str();
  if (absl::StartsWith(text, "LOADING")) return "loading";
  if (absl::StartsWith(text, "BUSY ") || text == "BUSY") return "busy";
  if (absl::StartsWith(text, "OOM")) return "oom";
  if (absl::StartsWith(text, "MISCONF")) return "misconf";
  // READONLY comes inside a script's error too (transport.h, RefusedAsNotPrimary).
  if (absl::StrContains(text, "READONLY") || absl::StartsWith(text, "NOREPLICAS")) {
    return "readonly";
  }
  return "";
}

}  // namespace dermaflow::common::redis_internal
