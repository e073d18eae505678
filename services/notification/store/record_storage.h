// The storage form of reminder records (domain/compact_record.h) at the
// queue's boundary: records go in compacted, their (protocol, version,
// clinic) contexts registered in `rem:ctx` first, and come out expanded.
// Contexts never change once written, so each is read or written once per
// process and then served from memory.
//
//   std::map<uint64_t, RecordContext> fresh;
//   DF_ASSIGN_OR_RETURN(std::string stored, storage.ToStorage(org, bytes, fresh));
//   DF_RETURN_IF_ERROR(storage.RegisterContexts(org, fresh));  // before writing `stored`
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "services/notification/domain/compact_record.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

class RecordStorage {
 public:
  explicit RecordStorage(common::RedisClient& redis) : redis_(redis) {}

  // Compacts `record` (empty stays empty); contexts not yet known are added
  // to `new_contexts`, to be registered before the record is written.
  absl::StatusOr<std::string> ToStorage(const std::string& org, const std::string& record,
                                        std::map<uint64_t, RecordContext>& new_contexts);
  absl::Status RegisterContexts(const std::string& org,
                                const std::map<uint64_t, RecordContext>& contexts);
  absl::StatusOr<std::string> FromStorage(const std::string& org, const std::string& stored);
  // The records of `ids`, in that order; missing or unreadable ones are left out.
  absl::StatusOr<std::vector<ReminderRecord>> Load(const std::string& org,
                                                   const std::vector<std::string>& ids);
  // The stored (compact) bytes of `ids`, in that order (nullopt: no record),
  // tagged 'I' when the id is in the in-flight set: a claim does not rewrite
  // the record (lua/claim_due.lua), the set alone says it is in flight.
  absl::StatusOr<std::vector<std::optional<std::string>>> ReadStored(
      const std::string& org, const std::vector<std::string>& ids);

 private:
  common::RedisClient& redis_;
  std::mutex mu_;
  std::map<std::string, std::map<uint64_t, RecordContext>> contexts_;  // org -> key -> context
};

}  // namespace dermaflow::notification
