#include "services/notification/store/redis_delivery_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/list_cursor.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {

using common::RedisReply;

namespace {

bool Wanted(const DeliveryFilter& filter, const v1::Delivery& d) {
  return filter.channels.empty() || std::find(filter.channels.begin(), filter.channels.end(),
                                              d.channel()) != filter.channels.end();
}

// Newest first, ties by id descending (as a descending ZSET scan orders them).
bool Newer(int64_t a_ms, const std::string& a_id, int64_t b_ms, const std::string& b_id) {
  return a_ms != b_ms ? a_ms > b_ms : a_id > b_id;
}

// One patient's deliveries: their ids are the patient's reminder ids (both
// indexes), which retention keeps bounded, so they are read whole and sorted.
absl::StatusOr<DeliveryPage> ListPatientDeliveries(common::RedisClient& redis,
                                                   const NotificationKeys& keys,
                                                   const DeliveryFilter& filter, int page_size,
                                                   const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(std::string open, keys.PatientIndex(filter.patient_id));
  DF_ASSIGN_OR_RETURN(std::string final, keys.PatientFinalIndex(filter.patient_id));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> indexes,
                      redis.Pipeline({{"HKEYS", open}, {"HKEYS", final}}));
  std::vector<std::string> ids;
  for (const RedisReply& index : indexes) {
    DF_RETURN_IF_ERROR(index.ToStatus());
    for (const RedisReply& id : index.elements()) ids.push_back(id.str());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  DeliveryPage page;
  if (ids.empty()) return page;
  std::vector<std::string> hmget = {"HMGET", keys.deliveries};
  hmget.insert(hmget.end(), ids.begin(), ids.end());
  DF_ASSIGN_OR_RETURN(RedisReply values, redis.Command(std::move(hmget)));
  std::vector<std::pair<int64_t, v1::Delivery>> found;
  for (const RedisReply& value : values.elements()) {
    v1::Delivery d;
    if (value.is_nil() || !d.ParseFromString(value.str()) || !Wanted(filter, d)) continue;
    const int64_t ms = ToMillis(ToTime(d.delivered_time()));
    if (filter.from && ms < ToMillis(*filter.from)) continue;
    if (filter.to && ms >= ToMillis(*filter.to)) continue;
    if (after && !Newer(after->time_ms, after->id, ms, d.reminder_id())) continue;
    found.emplace_back(ms, std::move(d));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return Newer(a.first, a.second.reminder_id(), b.first, b.second.reminder_id());
  });
  for (auto& [ms, d] : found) {
    if (static_cast<int>(page.deliveries.size()) == page_size) {
      const v1::Delivery& last = page.deliveries.back();
      page.next = ListCursor{ToMillis(ToTime(last.delivered_time())), last.reminder_id()};
      break;
    }
    page.deliveries.push_back(std::move(d));
  }
  return page;
}

}  // namespace

absl::StatusOr<DeliveryPage> RedisDeliveryStore::ListDeliveries(
    const std::string& org, const DeliveryFilter& filter, int page_size,
    const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  if (!filter.patient_id.empty()) {
    return ListPatientDeliveries(redis_, keys, filter, page_size, after);
  }
  const std::string& source = keys.delivery_time;
  ZsetScanRange range{.descending = true, .after = after, .chunk = std::max(page_size + 1, 100)};
  if (filter.from) range.min = ToMillis(*filter.from);
  if (filter.to) range.max_exclusive = ToMillis(*filter.to);
  ZsetScan scan(redis_, source, range);

  DeliveryPage page;
  int scanned = 0;
  std::optional<ListCursor> last_scanned;
  while (true) {
    std::vector<ScoredId> batch;
    ScoredId e;
    while (batch.size() < 100) {
      DF_ASSIGN_OR_RETURN(bool more, scan.Next(&e));
      if (!more) break;
      batch.push_back(e);
    }
    if (batch.empty()) return page;
    std::vector<std::string> cmd = {"HMGET", keys.deliveries};
    for (const ScoredId& s : batch) cmd.push_back(s.id);
    DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(cmd)));
    for (size_t i = 0; i < batch.size() && i < values.elements().size(); ++i) {
      ++scanned;
      last_scanned = ListCursor{batch[i].score, batch[i].id};
      v1::Delivery d;
      if (values.elements()[i].is_nil() || !d.ParseFromString(values.elements()[i].str())) continue;
      if (!Wanted(filter, d)) continue;
      if (static_cast<int>(page.deliveries.size()) == page_size) {
        const v1::Delivery& last = page.deliveries.back();
        page.next = ListCursor{ToMillis(ToTime(last.delivered_time())), last.reminder_id()};
        return page;
      }
      page.deliveries.push_back(std::move(d));
    }
    if (scanned >= kListScanBudget) {
      page.next = last_scanned;
      return page;
    }
  }
}

absl::Status RedisDeliveryStore::MarkWatched(const std::string& org, absl::Duration ttl) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  return redis_
      .Command(
          {"SET", keys.delivery_watched, "1", "PX", absl::StrCat(absl::ToInt64Milliseconds(ttl))})
      .status();
}

absl::StatusOr<std::string> RedisDeliveryStore::DeliveryStreamEnd(const std::string& org) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"XREVRANGE", keys.delivery_stream, "+", "-", "COUNT", "1"}));
  if (reply.elements().empty() || reply.elements()[0].elements().empty()) return std::string("0-0");
  return reply.elements()[0].elements()[0].str();
}

absl::StatusOr<std::vector<RedisReply>> RedisDeliveryStore::ReadStreams(
    const std::map<std::string, std::string>& positions,
    const std::map<std::string, NotificationKeys>& by_stream, absl::Duration block) {
  std::vector<RedisReply> streams;
  if (redis_.options().mode == common::RedisMode::kCluster) {
    // Each tenant's stream is in its own hash slot and one XREAD may not span
    // slots: one read per stream, pipelined (one round trip per node); an
    // idle read sleeps here instead of blocking server-side.
    std::vector<std::vector<std::string>> reads;
    reads.reserve(by_stream.size());
    for (const auto& [stream, keys] : by_stream) {
      reads.push_back({"XREAD", "COUNT", "500", "STREAMS", stream, positions.at(keys.org)});
    }
    DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(reads));
    for (RedisReply& reply : replies) {
      DF_RETURN_IF_ERROR(reply.ToStatus());
      for (RedisReply& stream : reply.elements()) streams.push_back(std::move(stream));
    }
    if (streams.empty()) {
      absl::SleepFor(std::clamp(block, absl::Milliseconds(10), absl::Milliseconds(100)));
    }
    return streams;
  }
  // One XREAD over every stream: it wakes on whichever gets an entry.
  std::vector<std::string> cmd = {
      "XREAD",
      "COUNT",
      "500",
      "BLOCK",
      absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(block))),
      "STREAMS"};
  for (const auto& [stream, keys] : by_stream) cmd.push_back(stream);
  for (const auto& [stream, keys] : by_stream) cmd.push_back(positions.at(keys.org));
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command(std::move(cmd), block + absl::Seconds(2)));
  // nil on timeout.
  for (RedisReply& stream : reply.elements()) streams.push_back(std::move(stream));
  return streams;
}

absl::StatusOr<std::vector<StreamedDelivery>> RedisDeliveryStore::ReadDeliveryStreams(
    std::map<std::string, std::string>& positions, absl::Duration block) {
  std::vector<StreamedDelivery> out;
  if (positions.empty()) return out;
  std::map<std::string, NotificationKeys> by_stream;
  for (const auto& [org, position] : positions) {
    DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
    by_stream.emplace(keys.delivery_stream, std::move(keys));
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> streams, ReadStreams(positions, by_stream, block));
  // The deliveries the new entries name: one HMGET per organization, all in
  // one pipeline (one round trip per node on a Cluster).
  std::vector<std::vector<std::string>> hmgets;
  std::vector<const std::string*> org_of;
  // Each [stream, [[entry id, [field, value]], ...]].
  for (const RedisReply& stream : streams) {
    if (stream.elements().size() < 2) continue;
    auto keys = by_stream.find(stream.elements()[0].str());
    if (keys == by_stream.end()) continue;
    std::vector<std::string> hmget = {"HMGET", keys->second.deliveries};
    for (const RedisReply& entry : stream.elements()[1].elements()) {
      if (entry.elements().size() < 2) continue;
      positions[keys->second.org] = entry.elements()[0].str();
      const auto& fields = entry.elements()[1].elements();
      if (fields.size() >= 2) hmget.push_back(fields[1].str());
    }
    if (hmget.size() == 2) continue;
    hmgets.push_back(std::move(hmget));
    org_of.push_back(&keys->second.org);
  }
  if (hmgets.empty()) return out;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> values, redis_.Pipeline(hmgets));
  for (size_t i = 0; i < values.size(); ++i) {
    DF_RETURN_IF_ERROR(values[i].ToStatus());
    for (const RedisReply& v : values[i].elements()) {
      StreamedDelivery d;
      d.organization = *org_of[i];
      if (!v.is_nil() && d.delivery.ParseFromString(v.str())) out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace dermaflow::notification
