// Where domain events live in Redis, shared by EventPublisher, by services
// that append events from their own Lua scripts, and by EventConsumer:
// one stream per organization, `df:{org}:events`, each entry one field `e`
// holding a serialized dermaflow.events.v1.Event, plus the set `df:orgs`
// through which consumers discover the organizations' streams.
//
//   DF_ASSIGN_OR_RETURN(std::string stream, StreamKey(org));  // df:{org}:events
//   DF_ASSIGN_OR_RETURN(std::string bytes, SealEvent(event, clock));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "dermaflow/events/v1/events.pb.h"

namespace dermaflow::common {

// The one field of every stream entry; its value is the serialized Event.
inline constexpr std::string_view kEventField = "e";

struct EventStreamOptions {
  // Streams are trimmed to about this many entries (XADD MAXLEN ~), which
  // must exceed the largest backlog a consumer group can build up: entries
  // trimmed before a group read them are lost to it.
  int64_t max_len = 1'000'000;
};

// `df:{org}:events`; INVALID_ARGUMENT for a bad org id (see keys.h).
absl::StatusOr<std::string> StreamKey(std::string_view org);

// The organization a stream key belongs to, or nullopt if `key` is not an
// event stream key.
std::optional<std::string> OrgOfStreamKey(std::string_view key);

// `df:orgs`: every organization that ever published an event.
std::string OrganizationsKey();

// A fresh event id: a random (version 4) UUID, 122 random bits in hex.
std::string NewEventId();

// Makes `event` ready to append: sets `id` if empty and `occur_time` from
// `clock` if unset, checks the organization, and returns the serialized
// bytes for field `e`. INVALID_ARGUMENT if the organization is bad or no
// payload is set.
absl::StatusOr<std::string> SealEvent(dermaflow::events::v1::Event& event, const Clock& clock);

}  // namespace dermaflow::common
