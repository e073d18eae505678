#include "common/redis/durability.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::common {
namespace {

constexpr char kNotReplicated[] = "type.dermaflow/redis.NotReplicated";

}  // namespace

absl::Status NotReplicatedError(std::string_view message) {
  absl::Status status = absl::UnavailableError(absl::string_view(message.data(), message.size()));
  status.SetPayload(kNotReplicated, absl::Cord("1"));
  return status;
}

bool IsNotReplicated(const absl::Status& status) {
  return status.GetPayload(kNotReplicated).has_value();
}

std::string ReplicationProbeKey(std::string_view key) {
  // Redis hashes only the first non-empty {...} of a key (Cluster spec).
  const size_t open = key.find('{');
  const size_t close = open == std::string_view::npos ? open : key.find('}', open + 1);
  if (close != std::string_view::npos && close > open + 1) {
    return absl::StrCat("df:", absl::string_view(key.data() + open, close - open + 1),
                        ":replication_probe");
  }
  return absl::StrCat("{", absl::string_view(key.data(), key.size()), "}:replication_probe");
}

}  // namespace dermaflow::common
