#include "common/events/event_consumer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/events/event_stream.h"
#include "common/events/lua/keep_pending_lua.h"
#include "common/replicas/tenant_share.h"
#include "common/status/macros.h"

namespace dermaflow::common {

// A stream entry to ack without handing it out.
struct EventConsumer::Entry {
  std::string stream;
  std::string id;
};

namespace {

constexpr char kStartOfStream[] = "0-0";
// Redis Cluster: how long an idle poll waits before reading again (no
// server-side BLOCK across slots; see ReadNewPerStream), doubling while
// nothing comes up to block_timeout: every tenant's stream is read each
// time, so a quiet system should not read a thousand streams ten times a
// second.
constexpr absl::Duration kClusterIdlePoll = absl::Milliseconds(100);

int64_t Millis(absl::Duration d) { return std::max<int64_t>(1, absl::ToInt64Milliseconds(d)); }

// The value of `field` in a flat [field, value, ...] array, if present.
const std::string* FindField(const RedisReply& fields, std::string_view field) {
  const std::vector<RedisReply>& items = fields.elements();
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].str() == field) return &items[i + 1].str();
  }
  return nullptr;
}

}  // namespace

EventConsumer::EventConsumer(RedisClient& redis, EventConsumerOptions options)
    : redis_(redis),
      options_(std::move(options)),
      focus_(HomeTestOf(options_.share), options_.look_around) {}

absl::Status EventConsumer::Validate() const {
  if (options_.group.empty()) return absl::InvalidArgumentError("event consumer: empty group");
  if (options_.consumer.empty()) {
    return absl::InvalidArgumentError("event consumer: empty consumer name");
  }
  if (options_.batch_count < 1) {
    return absl::InvalidArgumentError("event consumer: batch_count must be at least 1");
  }
  if (options_.block_timeout <= absl::ZeroDuration()) {
    // BLOCK 0 would wait forever and make Poll unstoppable.
    return absl::InvalidArgumentError("event consumer: block_timeout must be positive");
  }
  return absl::OkStatus();
}

std::vector<std::string> EventConsumer::streams() const {
  std::vector<std::string> keys;
  for (const auto& [key, cursor] : streams_) keys.push_back(key);
  return keys;
}

absl::StatusOr<std::vector<ConsumedEvent>> EventConsumer::Poll() {
  DF_RETURN_IF_ERROR(Validate());
  if (streams_.empty() || absl::Now() >= next_refresh_) DF_RETURN_IF_ERROR(RefreshStreams());
  std::vector<ConsumedEvent> events;
  if (streams_.empty()) {
    // No organization has published yet; wait as XREADGROUP would have.
    absl::SleepFor(options_.block_timeout);
    return events;
  }
  const std::vector<std::string> focus = StreamsInFocus();
  if (focus.empty()) {
    // Every organization has another home replica, none has a backlog.
    absl::SleepFor(BlockFor());
    return events;
  }
  std::vector<Entry> poison;
  DF_RETURN_IF_ERROR(Reclaim(focus, events, poison));
  const int room = options_.batch_count - static_cast<int>(events.size());
  if (room > 0) {
    const size_t reclaimed = events.size();
    // A Cluster read is one XREADGROUP per stream: the batch is shared out,
    // so one poll never takes more than `room` entries however many tenants.
    const int per_stream = redis_.options().mode == RedisMode::kCluster
                               ? std::max(1, room / static_cast<int>(focus.size()))
                               : room;
    // Only block when there is nothing to hand out already.
    DF_RETURN_IF_ERROR(
        ReadNew(focus, per_stream, /*block=*/events.empty() && poison.empty(), events, poison));
    NoteBacklogs(focus, per_stream, events, reclaimed);
  }
  DF_RETURN_IF_ERROR(AckPoison(poison));
  return events;
}

absl::Status EventConsumer::Ack(const ConsumedEvent& event) {
  return redis_.Command({"XACK", event.stream, options_.group, event.entry_id}).status();
}

absl::StatusOr<int> EventConsumer::KeepPending(const std::vector<ConsumedEvent>& events) {
  std::map<std::string, std::vector<std::string>> by_stream;  // stream -> group, consumer, ids
  for (const ConsumedEvent& e : events) {
    std::vector<std::string>& args = by_stream[e.stream];
    if (args.empty()) args = {options_.group, options_.consumer};
    args.push_back(e.entry_id);
  }
  int kept = 0;
  for (auto& [stream, args] : by_stream) {
    DF_ASSIGN_OR_RETURN(RedisReply reply,
                        redis_.Eval(KeepPendingScript(), {stream}, std::move(args)));
    kept += static_cast<int>(reply.integer());
  }
  return kept;
}

std::vector<std::string> EventConsumer::StreamsInFocus() {
  std::map<std::string, const std::string*> stream_of;  // org -> its stream key
  std::vector<std::string> orgs;
  for (const auto& [stream, cursor] : streams_) {
    if (std::optional<std::string> org = OrgOfStreamKey(stream)) {
      stream_of[*org] = &stream;
      orgs.push_back(*std::move(org));
    }
  }
  std::vector<std::string> focus;
  for (const std::string& org : focus_.Pick(orgs, absl::Now())) focus.push_back(*stream_of[org]);
  return focus;
}

void EventConsumer::NoteBacklogs(const std::vector<std::string>& streams, int limit,
                                 const std::vector<ConsumedEvent>& events, size_t first_new) {
  std::map<std::string_view, int> read_from;
  for (size_t i = first_new; i < events.size(); ++i) ++read_from[events[i].stream];
  for (const std::string& stream : streams) {
    std::optional<std::string> org = OrgOfStreamKey(stream);
    if (!org.has_value() || focus_.IsHome(*org)) continue;
    focus_.Help(*org, read_from[stream] >= limit);
  }
}

absl::Duration EventConsumer::BlockFor() const {
  return std::max(absl::Milliseconds(1),
                  std::min(options_.block_timeout, focus_.UntilLookAround(absl::Now())));
}

absl::Status EventConsumer::RefreshStreams() {
  DF_ASSIGN_OR_RETURN(RedisReply orgs, redis_.Command({"SMEMBERS", OrganizationsKey()}));
  std::vector<std::string> added;
  for (const RedisReply& org : orgs.elements()) {
    // A malformed member cannot name a tenant stream; skip it rather than
    // stop consuming for everyone.
    absl::StatusOr<std::string> stream = StreamKey(org.str());
    if (!stream.ok() || streams_.contains(*stream)) continue;
    added.push_back(*std::move(stream));
  }
  DF_RETURN_IF_ERROR(CreateGroups(added));
  for (std::string& stream : added) streams_.emplace(std::move(stream), kStartOfStream);
  next_refresh_ = absl::Now() + options_.org_refresh_interval;
  return absl::OkStatus();
}

absl::Status EventConsumer::CreateGroups(const std::vector<std::string>& streams) {
  if (streams.empty()) return absl::OkStatus();
  std::vector<std::vector<std::string>> commands;
  commands.reserve(streams.size());
  for (const std::string& stream : streams) {
    // "0": the group sees every entry still in the stream (see header);
    // MKSTREAM: the organization may be registered before its first XADD.
    commands.push_back({"XGROUP", "CREATE", stream, options_.group, "0", "MKSTREAM"});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (const RedisReply& reply : replies) {
    if (reply.is_error() && !absl::StartsWith(reply.str(), "BUSYGROUP")) {
      return reply.ToStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::Reclaim(const std::vector<std::string>& streams,
                                    std::vector<ConsumedEvent>& out, std::vector<Entry>& poison) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(streams.size());
  for (const std::string& stream : streams) {
    commands.push_back({"XAUTOCLAIM", stream, options_.group, options_.consumer,
                        absl::StrCat(Millis(options_.min_idle)), streams_[stream], "COUNT",
                        absl::StrCat(options_.batch_count)});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (size_t i = 0; i < replies.size(); ++i) {
    const RedisReply& reply = replies[i];
    if (reply.is_error()) {
      // NOGROUP: the stream was deleted and re-created; the group comes
      // back with the next refresh. Other streams go on.
      if (absl::StartsWith(reply.str(), "NOGROUP")) {
        next_refresh_ = absl::InfinitePast();
        streams_.erase(streams[i]);
        continue;
      }
      return reply.ToStatus();
    }
    // [next cursor, [[id, [field, value...]]...], [deleted ids] (Redis 7)]
    if (!reply.is_array() || reply.elements().size() < 2) {
      return absl::InternalError("redis: unexpected XAUTOCLAIM reply");
    }
    streams_[streams[i]] = reply.elements()[0].str();
    size_t before = out.size();
    Collect(streams[i], reply.elements()[1], /*reclaimed=*/true, out, poison);
    reclaimed_count_ += static_cast<int64_t>(out.size() - before);
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::ReadNewPerStream(const std::vector<std::string>& streams,
                                             int per_stream, bool block,
                                             std::vector<ConsumedEvent>& out,
                                             std::vector<Entry>& poison) {
  // Every tenant's stream is in its own hash slot, and one XREADGROUP may not
  // span slots: one read per stream, pipelined, which the cluster client
  // sends as one round trip per node. Nothing blocks server-side, so an
  // idle poll sleeps here instead (a short, bounded wait for new events).
  std::vector<std::vector<std::string>> reads;
  reads.reserve(streams.size());
  for (const std::string& stream : streams) {
    reads.push_back({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                     absl::StrCat(per_stream), "STREAMS", stream, ">"});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(reads));
  bool any = false;
  std::vector<std::string> without_group;
  absl::Status first_error;
  for (size_t i = 0; i < replies.size(); ++i) {
    const RedisReply& reply = replies[i];
    if (reply.is_error()) {
      // Every other stream's entries are already pending for this consumer:
      // hand them out, and mend or report this one after.
      if (absl::StartsWith(reply.str(), "NOGROUP")) {
        without_group.push_back(streams[i]);
      } else if (first_error.ok()) {
        first_error = reply.ToStatus();
      }
      continue;
    }
    if (reply.is_nil()) continue;
    for (const RedisReply& stream : reply.elements()) {
      if (stream.elements().size() != 2) {
        return absl::InternalError("redis: unexpected XREADGROUP reply");
      }
      any = any || !stream.elements()[1].elements().empty();
      Collect(stream.elements()[0].str(), stream.elements()[1], /*reclaimed=*/false, out, poison);
    }
  }
  if (!without_group.empty()) DF_RETURN_IF_ERROR(CreateGroups(without_group));
  if (!first_error.ok() && out.empty()) return first_error;
  if (any) idle_reads_ = 0;
  if (block && !any) {
    const absl::Duration wait = kClusterIdlePoll * (1 << std::min(idle_reads_++, 4));
    absl::SleepFor(std::min(BlockFor(), wait));
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::ReadNew(const std::vector<std::string>& streams, int count, bool block,
                                    std::vector<ConsumedEvent>& out, std::vector<Entry>& poison) {
  if (streams.empty()) return absl::OkStatus();
  if (redis_.options().mode == RedisMode::kCluster)
    return ReadNewPerStream(streams, count, block, out, poison);
  // One XREADGROUP over all streams: it wakes on whichever gets an entry.
  std::vector<std::string> argv = {"XREADGROUP",      "GROUP", options_.group,
                                   options_.consumer, "COUNT", absl::StrCat(count)};
  const absl::Duration block_for = BlockFor();
  if (block) {
    argv.push_back("BLOCK");
    argv.push_back(absl::StrCat(Millis(block_for)));
  }
  argv.push_back("STREAMS");
  for (const std::string& stream : streams) argv.push_back(stream);
  for (size_t i = 0; i < streams.size(); ++i) argv.push_back(">");

  absl::Duration timeout = redis_.options().command_timeout;
  if (block) timeout += block_for;
  absl::StatusOr<RedisReply> reply = redis_.Command(std::move(argv), timeout);
  if (!reply.ok()) {
    if (IsRedisError(reply.status(), "NOGROUP")) {
      // A stream lost its group (deleted and re-created); re-create the
      // groups (idempotent) and read again on the next Poll.
      return CreateGroups(streams);
    }
    return reply.status();
  }
  if (reply->is_nil()) return absl::OkStatus();  // BLOCK timed out
  // [[stream, [[id, [field, value...]]...]]...]
  for (const RedisReply& stream : reply->elements()) {
    if (stream.elements().size() != 2) {
      return absl::InternalError("redis: unexpected XREADGROUP reply");
    }
    Collect(stream.elements()[0].str(), stream.elements()[1], /*reclaimed=*/false, out, poison);
  }
  return absl::OkStatus();
}

void EventConsumer::Collect(const std::string& stream, const RedisReply& entries, bool reclaimed,
                            std::vector<ConsumedEvent>& out, std::vector<Entry>& poison) {
  const std::optional<std::string> org = OrgOfStreamKey(stream);
  for (const RedisReply& entry : entries.elements()) {
    // Redis 6.2 lists entries trimmed away while pending as nil.
    if (!entry.is_array() || entry.elements().size() != 2) continue;
    const std::string& id = entry.elements()[0].str();
    const std::string* bytes = FindField(entry.elements()[1], kEventField);
    ConsumedEvent event{.stream = stream, .entry_id = id, .event = {}, .reclaimed = reclaimed};
    // An event naming another tenant than its stream must never be acted
    // on: that would let one tenant's data reach another's.
    if (bytes == nullptr || !event.event.ParseFromString(*bytes) || !org.has_value() ||
        event.event.organization() != *org) {
      poison.push_back({stream, id});
      continue;
    }
    out.push_back(std::move(event));
  }
}

absl::Status EventConsumer::AckPoison(const std::vector<Entry>& poison) {
  if (poison.empty()) return absl::OkStatus();
  std::vector<std::vector<std::string>> commands;
  commands.reserve(poison.size());
  for (const Entry& entry : poison) {
    commands.push_back({"XACK", entry.stream, options_.group, entry.id});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (const RedisReply& reply : replies) DF_RETURN_IF_ERROR(reply.ToStatus());
  poison_count_ += static_cast<int64_t>(poison.size());
  return absl::OkStatus();
}

}  // namespace dermaflow::common
