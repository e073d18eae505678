// The storage form of a reminder record, smaller than the form the service
// works with: the (protocol id, protocol version, clinic id) triple — the
// same for thousands of reminders — is replaced by an 8-byte key into a
// per-organization table, and due_ms and create_ms are dropped while they
// equal original_due_ms and update_ms. This keeps a far-future reminder's Redis footprint small
// (docs/notification.md has the numbers). The store converts at its boundary;
// Compact(Expand(x)) == x, so compare-and-set works on either form.
//
//   CompactRecord c = Compact(EncodeRecord(state, data));  // c.bytes to Redis
//   DF_ASSIGN_OR_RETURN(std::string full, Expand(stored, [&](uint64_t key) { return Lookup(key);
//   }));
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace dermaflow::notification {

// What a context key stands for.
struct RecordContext {
  std::string protocol_id;
  int64_t protocol_version = 0;
  std::string clinic_id;

  std::string Serialize() const;
  static std::optional<RecordContext> Parse(const std::string& bytes);
  friend bool operator==(const RecordContext&, const RecordContext&) = default;
};

struct CompactRecord {
  std::string bytes;
  uint64_t context_key = 0;  // 0: no context (nothing interned)
  RecordContext context;
};

// Stable across builds and replicas: the first 8 bytes of SHA-256 over the
// triple (never 0).
uint64_t ContextKey(const RecordContext& context);

// `record` is EncodeRecord's output; unreadable input is returned unchanged.
CompactRecord Compact(const std::string& record);

// The inverse; `lookup` resolves a context key (NOT_FOUND if unknown).
absl::StatusOr<std::string> Expand(
    const std::string& stored,
    const std::function<absl::StatusOr<RecordContext>(uint64_t key)>& lookup);

}  // namespace dermaflow::notification
