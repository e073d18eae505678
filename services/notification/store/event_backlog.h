// The bookkeeping of the event streams the service consumes: which
// organizations publish events, how many are read but unacknowledged, and
// acknowledging them in bulk once their effects are stored
// (redis_event_backlog.h is the implementation).
//
//   DF_ASSIGN_OR_RETURN(std::vector<std::string> orgs, events.Organizations());
//   DF_RETURN_IF_ERROR(events.AckEvents(stream, "notification", entry_ids));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dermaflow::notification {

class EventBacklog {
 public:
  virtual ~EventBacklog() = default;

  // Every organization that ever published an event (`df:orgs`), sorted.
  virtual absl::StatusOr<std::vector<std::string>> Organizations() = 0;
  // Events of `group` read but not yet acknowledged, over all organizations
  // (the consumer backlog gauge).
  virtual absl::StatusOr<int64_t> PendingEvents(const std::string& group) = 0;
  // Acknowledges many entries of one event stream in one XACK (the
  // consumer's Ack takes one per round trip, which would cap the intake at
  // one round trip per event). Call only once their effects are stored.
  virtual absl::Status AckEvents(const std::string& stream, const std::string& group,
                                 const std::vector<std::string>& entry_ids) = 0;
};

}  // namespace dermaflow::notification
