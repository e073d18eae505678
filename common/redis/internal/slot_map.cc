#include "common/redis/internal/slot_map.h"

#include <algorithm>
#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/redis/hash_slot.h"

namespace dermaflow::common::redis_internal {
namespace {

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(absl::StrCat("redis cluster: unexpected CLUSTER SLOTS reply: ", what));
}

}  // namespace

SlotMap::SlotMap() : owner_(kRedisClusterSlots, -1) {}

const RedisNodeAddress* SlotMap::OwnerOf(int slot) const {
  const int index = owner_[slot];
  return index < 0 ? nullptr : &primaries_[index];
}

int SlotMap::IndexOf(const RedisNodeAddress& node) {
  for (size_t i = 0; i < primaries_.size(); ++i) {
    if (primaries_[i] == node) return static_cast<int>(i);
  }
  primaries_.push_back(node);
  first_slot_.push_back(kRedisClusterSlots);
  return static_cast<int>(primaries_.size() - 1);
}

void SlotMap::AssignRange(int first, int last, const RedisNodeAddress& node) {
  const int index = IndexOf(node);
  std::fill(owner_.begin() + first, owner_.begin() + last + 1, static_cast<int16_t>(index));
  first_slot_[index] = std::min(first_slot_[index], first);
}

absl::StatusOr<SlotMap> ParseClusterSlots(const RedisReply& reply, const std::string& asked_host) {
  if (!reply.is_array()) return Malformed("not an array");
  SlotMap map;
  for (const RedisReply& range : reply.elements()) {
    if (!range.is_array() || range.elements().size() < 3) return Malformed("short slot range");
    const std::vector<RedisReply>& fields = range.elements();
    const int64_t start = fields[0].integer();
    const int64_t end = fields[1].integer();
    if (fields[0].type() != RedisReply::Type::kInteger ||
        fields[1].type() != RedisReply::Type::kInteger || start < 0 || end < start ||
        end >= kRedisClusterSlots) {
      return Malformed("bad slot numbers");
    }
    const RedisReply& primary = fields[2];
    if (!primary.is_array() || primary.elements().size() < 2 ||
        primary.elements()[1].type() != RedisReply::Type::kInteger) {
      return Malformed("bad node");
    }
    RedisNodeAddress node;
    node.host = primary.elements()[0].str();
    if (node.host.empty() || node.host == "?") node.host = asked_host;
    node.port = static_cast<int>(primary.elements()[1].integer());
    if (node.port < 1 || node.port > 65535) return Malformed("bad port");
    map.AssignRange(static_cast<int>(start), static_cast<int>(end), node);
  }
  // Ordered by first slot, so the order (and SCAN's walk) does not depend
  // on the order the ranges came in.
  std::vector<int> order(map.primaries_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return map.first_slot_[a] < map.first_slot_[b]; });
  std::vector<int16_t> new_index(order.size());
  SlotMap sorted;
  for (size_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = static_cast<int16_t>(i);
    sorted.primaries_.push_back(map.primaries_[order[i]]);
    sorted.first_slot_.push_back(map.first_slot_[order[i]]);
  }
  for (int slot = 0; slot < kRedisClusterSlots; ++slot) {
    const int16_t old = map.owner_[slot];
    sorted.owner_[slot] = old < 0 ? int16_t{-1} : new_index[old];
  }
  return sorted;
}

}  // namespace dermaflow::common::redis_internal
