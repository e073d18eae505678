// Reads every organization's event stream through a Redis consumer group, so
// the workers of one service share the events and each gets its share once
// (with a TenantShare in the options, mostly its home organizations' streams).
//
//   EventConsumer consumer(redis, {.group = "notification", .consumer = hostname_pid});
//   while (running) {
//     DF_ASSIGN_OR_RETURN(std::vector<ConsumedEvent> batch, consumer.Poll());
//     for (const ConsumedEvent& e : batch) {
//       if (Apply(e.event).ok()) consumer.Ack(e);  // else it comes back later
//     }
//   }
//
// The contract is at least once. An event is handed to one consumer of the
// group and stays pending until acked; if that consumer crashes or does not
// ack within min_idle, Poll on any consumer of the group reclaims it and
// hands it out again. A consumer that needs longer than min_idle for some
// events keeps them with KeepPending (a heartbeat), so min_idle can be short
// and a crashed consumer's events come back soon. So the same event can arrive more than once (and,
// across organizations, in any order): handlers must be idempotent (the Event id is the dedup key).
// Ack only after the effect is durable.
//
// Groups start at the beginning of each stream ("0", not "$"): a new group,
// or a stream created after the group's first look, yields every event still
// in the stream, so nothing published before the consumer noticed a new
// organization is missed. New organizations are noticed within
// org_refresh_interval (from `df:orgs`).
//
// Entries that cannot be used (no `e` field, bytes that do not parse, or an
// Event of another organization than its stream's) are poison: acked at once
// and counted, never handed out or retried. Events with an unknown payload
// case (from a newer producer) are not poison; they arrive with
// payload_case() == PAYLOAD_NOT_SET for the handler to skip and ack.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/replicas/tenant_focus.h"
#include "common/replicas/tenant_share.h"
#include "dermaflow/events/v1/events.pb.h"

namespace dermaflow::common {

struct EventConsumerOptions {
  // Consumer group, one per consuming service (e.g. "notification").
  std::string group;
  // Unique per process within the group (e.g. "<pod>-<pid>"). Pending events
  // of a consumer that died, whatever its name, come back after min_idle.
  std::string consumer;
  // Most entries read per stream per Poll.
  int batch_count = 100;
  // How long Poll waits in XREADGROUP when there is nothing new.
  absl::Duration block_timeout = absl::Seconds(1);
  // Pending entries idle longer than this are taken over from their consumer
  // (presumed crashed). Must exceed the longest time a handler takes, unless
  // the handler's events are kept fresh with KeepPending meanwhile.
  absl::Duration min_idle = absl::Seconds(10);
  // How often `df:orgs` is re-read to find new organizations' streams.
  absl::Duration org_refresh_interval = absl::Seconds(10);
  // Replicas sharing the organizations (common/replicas/tenant_share.h): a
  // poll reads this replica's home organizations' streams; the others every
  // `look_around` (which also takes what a dead home replica left, before
  // its heartbeat runs out), and on every poll while a read of theirs comes
  // back full (a backlog to help with). Null: every stream, every poll.
  const TenantShare* share = nullptr;
  absl::Duration look_around = absl::Seconds(2);
};

struct ConsumedEvent {
  std::string stream;    // df:{org}:events
  std::string entry_id;  // the stream entry id, e.g. "1718000000000-0"
  dermaflow::events::v1::Event event;
  bool reclaimed = false;  // taken over from an idle consumer, so a redelivery
};

class EventConsumer {
 public:
  // `redis` must outlive the consumer.
  EventConsumer(RedisClient& redis, EventConsumerOptions options);

  // The next events for this consumer: first pending ones reclaimed from
  // consumers idle longer than min_idle, then new ones (waiting up to
  // block_timeout when there are none). Empty means nothing to do; errors are
  // UNAVAILABLE (Redis down: back off and poll again) or INVALID_ARGUMENT
  // (bad options). Call from one thread at a time.
  absl::StatusOr<std::vector<ConsumedEvent>> Poll();

  // XACK: the event is done for this group and will not come back. Acking
  // twice is harmless. Thread-safe.
  absl::Status Ack(const ConsumedEvent& event);

  // The heartbeat of events still being handled: resets their idle time so
  // no other consumer reclaims them, for those this consumer still owns
  // (keep_pending.lua; one taken over meanwhile stays with its new owner).
  // Call every min_idle / 3 or so while handling. Thread-safe (may run on
  // another thread than Poll). Returns how many were kept.
  absl::StatusOr<int> KeepPending(const std::vector<ConsumedEvent>& events);

  // Entries acked as poison since construction (for a metric).
  int64_t poison_count() const { return poison_count_.load(); }
  // Entries reclaimed from idle consumers since construction.
  int64_t reclaimed_count() const { return reclaimed_count_.load(); }
  // The streams this consumer reads, sorted (as of the last refresh). Same
  // thread as Poll.
  std::vector<std::string> streams() const;

 private:
  struct Entry;
  absl::Status Validate() const;
  absl::Status RefreshStreams();
  absl::Status CreateGroups(const std::vector<std::string>& streams);
  // The streams to read on this poll (TenantFocus), sorted.
  std::vector<std::string> StreamsInFocus();
  // After a read (events[first_new...] are new): a foreign stream that
  // filled its `limit` has a backlog.
  void NoteBacklogs(const std::vector<std::string>& streams, int limit,
                    const std::vector<ConsumedEvent>& events, size_t first_new);
  absl::Status Reclaim(const std::vector<std::string>& streams, std::vector<ConsumedEvent>& out,
                       std::vector<Entry>& poison);
  // Redis Cluster: ReadNew as one read per stream (see the .cc).
  absl::Status ReadNewPerStream(const std::vector<std::string>& streams, int per_stream, bool block,
                                std::vector<ConsumedEvent>& out, std::vector<Entry>& poison);
  absl::Status ReadNew(const std::vector<std::string>& streams, int per_stream, bool block,
                       std::vector<ConsumedEvent>& out, std::vector<Entry>& poison);
  // How long a read may wait for new events: block_timeout, or less when
  // the streams of other replicas' organizations are to be looked at sooner.
  absl::Duration BlockFor() const;
  void Collect(const std::string& stream, const RedisReply& entries, bool reclaimed,
               std::vector<ConsumedEvent>& out, std::vector<Entry>& poison);
  absl::Status AckPoison(const std::vector<Entry>& poison);

  RedisClient& redis_;
  const EventConsumerOptions options_;
  // Stream key -> XAUTOCLAIM cursor, so reclaiming walks each pending list
  // across polls instead of rescanning its head.
  std::map<std::string, std::string> streams_;
  absl::Time next_refresh_ = absl::InfinitePast();
  // Redis Cluster: reads in a row that found nothing (the idle wait grows).
  int idle_reads_ = 0;
  TenantFocus focus_;
  std::atomic<int64_t> poison_count_{0};
  std::atomic<int64_t> reclaimed_count_{0};
};

}  // namespace dermaflow::common
