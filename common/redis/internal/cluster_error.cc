#include "common/redis/internal/cluster_error.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/redis/hash_slot.h"

namespace dermaflow::common::redis_internal {
namespace {

// "MOVED 3999 10.0.0.7:6381" / "ASK 3999 10.0.0.7:6381". Redis 7 leaves
// the host out (":6381") when the node's endpoint is unknown; the caller
// then uses the host it asked.
bool ParseRedirect(absl::string_view text, ClusterError& error) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ' ');
  if (parts.size() != 3) return false;
  if (!absl::SimpleAtoi(parts[1], &error.slot) || error.slot < 0 ||
      error.slot >= kRedisClusterSlots) {
    return false;
  }
  const size_t colon = parts[2].rfind(':');
  if (colon == absl::string_view::npos) return false;
  absl::string_view host = parts[2].substr(0, colon);
  // An IPv6 address may come with or without brackets.
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  error.node.host = std::string(host);
  return absl::SimpleAtoi(parts[2].substr(colon + 1), &error.node.port) && error.node.port > 0 &&
         error.node.port <= 65535;
}

}  // namespace

ClusterError ClassifyClusterError(const RedisReply& reply) {
  ClusterError error;
  if (!reply.is_error()) return error;
  const absl::string_view text = reply.str();
  if (absl::StartsWith(text, "MOVED ")) {
    if (ParseRedirect(text, error)) error.kind = ClusterError::Kind::kMoved;
  } else if (absl::StartsWith(text, "ASK ")) {
    if (ParseRedirect(text, error)) error.kind = ClusterError::Kind::kAsk;
  } else if (absl::StartsWith(text, "TRYAGAIN")) {
    error.kind = ClusterError::Kind::kTryAgain;
  } else if (absl::StartsWith(text, "CLUSTERDOWN")) {
    error.kind = ClusterError::Kind::kClusterDown;
  }
  if (error.kind == ClusterError::Kind::kNone) return ClusterError();
  return error;
}

std::string_view ClusterErrorLabel(ClusterError::Kind kind) {
  switch (kind) {
    case ClusterError::Kind::kMoved:
      return "moved";
    case ClusterError::Kind::kAsk:
      return "ask";
    case ClusterError::Kind::kTryAgain:
      return "tryagain";
    case ClusterError::Kind::kClusterDown:
      return "clusterdown";
    case ClusterError::Kind::kNone:
      break;
  }
  return "none";
}

}  // namespace dermaflow::common::redis_internal
