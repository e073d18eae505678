// How far a consumer group is behind on every organization's event stream,
// for a progress gauge: the age of the oldest event handed to the group but
// not yet acknowledged (XPENDING summary), and of the oldest event not yet
// handed out at all (XINFO GROUPS, then one XRANGE entry where there is a
// lag). Ages come from the stream entry ids (Redis' clock at XADD), so an
// intake that is stuck shows a number that grows, not one that stops.
//
//   DF_ASSIGN_OR_RETURN(StreamGroupProgress p,
//                       ReadStreamGroupProgress(redis, "notification", absl::Now()));
//   gauge.Set(absl::ToDoubleSeconds(p.oldest_unacked));
//
// Two pipelined round trips for all organizations (a third when some stream
// has unread entries): cheap enough to run every few seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace dermaflow::common {

struct StreamGroupProgress {
  // Zero when nothing is pending / unread.
  absl::Duration oldest_unacked = absl::ZeroDuration();
  absl::Duration oldest_unread = absl::ZeroDuration();
  int64_t unacked = 0;  // entries pending in the group, all streams
  int streams = 0;      // streams that have the group
};

// Over the streams of every organization in `df:orgs`. Streams the group
// has not been created on yet are skipped (the consumer creates it within
// its refresh interval). UNAVAILABLE when Redis cannot be reached.
absl::StatusOr<StreamGroupProgress> ReadStreamGroupProgress(RedisClient& redis,
                                                            const std::string& group,
                                                            absl::Time now);

// The time part of a stream entry id ("1718000000000-0"), nullopt if it is
// not one.
std::optional<absl::Time> StreamIdTime(std::string_view id);

}  // namespace dermaflow::common
