#include "services/notification/store/redis_reminder_queue.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/redis/erasure_ledger.h"
#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/notification/domain/notification_errors.h"
#include "services/notification/domain/parking.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/lua/claim_due_lua.h"
#include "services/notification/lua/erase_patient_lua.h"
#include "services/notification/lua/put_reminders_lua.h"
#include "services/notification/lua/renew_claims_lua.h"
#include "services/notification/lua/settle_patient_index_lua.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/reminder_listing.h"
#include "services/notification/store/script_keys.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {
namespace {

using common::RedisReply;

// The fixed KEYS of lua/put_reminders.lua.
std::vector<std::string> PutKeys(const NotificationKeys& k) {
  return {k.records,
          k.queue,
          k.retry,
          k.inflight,
          k.dead,
          k.done,
          k.erased,
          k.deliveries,
          k.delivery_time,
          k.delivery_stream,
          k.delivery_watched,
          k.claims,
          k.appointment_guards,
          k.park_days,
          k.parked};
}

size_t EntriesOf(const WriteGroup& g) { return g.writes.size() + 1; }

// DELIVERED, SUPPRESSED, CANCELLED: the reminder ended.
bool IsFinalTag(char tag) { return tag == 'D' || tag == 'C' || tag == 'X'; }

}  // namespace

RedisReminderQueue::RedisReminderQueue(common::RedisClient& redis,
                                       RedisReminderQueueOptions options)
    : redis_(redis), options_(options), storage_(redis) {}

absl::StatusOr<PlanningSnapshot> RedisReminderQueue::ReadForPlanning(
    const std::string& org, const std::vector<std::string>& patient_ids,
    const std::vector<std::string>& appointment_ids) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  PlanningSnapshot snapshot;
  if (patient_ids.empty() && appointment_ids.empty()) return snapshot;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& patient : patient_ids) {
    DF_ASSIGN_OR_RETURN(std::string index, keys.PatientIndex(patient));
    commands.push_back({"HKEYS", index});
    commands.push_back({"SISMEMBER", keys.erased, patient});
  }
  if (!appointment_ids.empty()) {
    std::vector<std::string> scores = {"ZMSCORE", keys.appointment_guards};
    scores.insert(scores.end(), appointment_ids.begin(), appointment_ids.end());
    commands.push_back(std::move(scores));
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  std::vector<std::string> ids;
  std::vector<const std::string*> owners;
  for (size_t p = 0; p < patient_ids.size(); ++p) {
    DF_RETURN_IF_ERROR(replies[2 * p].ToStatus());
    snapshot.records[patient_ids[p]];  // present even with no reminders
    snapshot.erased[patient_ids[p]] = replies[2 * p + 1].integer() == 1;
    for (const RedisReply& id : replies[2 * p].elements()) {
      ids.push_back(id.str());
      owners.push_back(&patient_ids[p]);
    }
  }
  if (!appointment_ids.empty()) {
    const RedisReply& scores = replies[2 * patient_ids.size()];
    DF_RETURN_IF_ERROR(scores.ToStatus());
    for (size_t a = 0; a < appointment_ids.size() && a < scores.elements().size(); ++a) {
      const RedisReply& r = scores.elements()[a];
      if (r.is_nil()) continue;
      DF_ASSIGN_OR_RETURN(int64_t ms, r.AsInt());
      snapshot.appointment_versions[appointment_ids[a]] = ms;
    }
  }
  if (ids.empty()) return snapshot;
  DF_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> values,
                      storage_.ReadStored(org, ids));
  // patient -> ids in the open index that ended (or are gone): moved below.
  std::map<std::string, std::vector<std::string>> settled;
  for (size_t i = 0; i < ids.size() && i < values.size(); ++i) {
    if (!values[i] || IsFinalTag((*values[i])[0])) {
      settled[*owners[i]].push_back(ids[i]);
      continue;
    }
    absl::StatusOr<std::string> expanded = storage_.FromStorage(org, *values[i]);
    if (expanded.ok()) snapshot.records[*owners[i]][ids[i]] = *std::move(expanded);
  }
  if (!settled.empty()) DF_RETURN_IF_ERROR(SettlePatientIndexes(keys, settled));
  return snapshot;
}

absl::Status RedisReminderQueue::SettlePatientIndexes(
    const NotificationKeys& keys, const std::map<std::string, std::vector<std::string>>& ended) {
  std::vector<std::string> script_keys = {keys.records};
  std::vector<std::string> args;
  for (const auto& [patient, ids] : ended) {
    DF_ASSIGN_OR_RETURN(std::string open, keys.PatientIndex(patient));
    DF_ASSIGN_OR_RETURN(std::string final, keys.PatientFinalIndex(patient));
    script_keys.push_back(std::move(open));
    script_keys.push_back(std::move(final));
    args.push_back(absl::StrCat(ids.size()));
    args.insert(args.end(), ids.begin(), ids.end());
  }
  return redis_.Eval(SettlePatientIndexScript(), std::move(script_keys), std::move(args)).status();
}

absl::StatusOr<std::vector<WriteResult>> RedisReminderQueue::Write(
    const std::string& org, const std::vector<WriteGroup>& groups) {
  std::vector<WriteResult> results;
  std::vector<const WriteGroup*> chunk;
  size_t entries = 0;
  auto flush = [&]() -> absl::Status {
    if (chunk.empty()) return absl::OkStatus();
    DF_ASSIGN_OR_RETURN(std::vector<WriteResult> part, WriteChunk(org, chunk));
    results.insert(results.end(), part.begin(), part.end());
    chunk.clear();
    entries = 0;
    return absl::OkStatus();
  };
  for (const WriteGroup& group : groups) {
    if (!chunk.empty() &&
        entries + EntriesOf(group) > static_cast<size_t>(options_.max_entries_per_call)) {
      DF_RETURN_IF_ERROR(flush());
    }
    chunk.push_back(&group);
    entries += EntriesOf(group);
  }
  DF_RETURN_IF_ERROR(flush());
  return results;
}

absl::StatusOr<std::vector<WriteResult>> RedisReminderQueue::WriteChunk(
    const std::string& org, const std::vector<const WriteGroup*>& groups) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  ScriptKeys table(PutKeys(keys));
  std::vector<std::string> args = {
      absl::StrCat(options_.delivery_stream_max_len),
      absl::StrCat(absl::ToInt64Milliseconds(options_.delivery_stream_retention))};
  std::map<uint64_t, RecordContext> new_contexts;
  const int64_t now_ms = ToMillis(options_.clock->Now());
  // A delivery's outcome must survive a fail-over (or the message goes out
  // again); plans can always be derived again from the events.
  common::Durability durability = common::Durability::kPrimary;
  for (const WriteGroup* group : groups) {
    args.insert(args.end(), {"B", group->atomic ? "1" : "0", group->appointment_id,
                             absl::StrCat(group->appointment_update_ms), "",
                             group->unless_erased_patient, "", "", "", ""});
    for (const ReminderWrite& w : group->writes) {
      std::string index = "0";
      std::string final_index = "0";
      if (!w.patient_id.empty()) {
        DF_ASSIGN_OR_RETURN(std::string open_key, keys.PatientIndex(w.patient_id));
        DF_ASSIGN_OR_RETURN(std::string final_key, keys.PatientFinalIndex(w.patient_id));
        index = table.IndexOf(open_key);
        final_index = table.IndexOf(final_key);
      }
      const bool outcome = w.op == ReminderWrite::Op::kUpdate && w.claim_token != 0;
      const char* op = w.op == ReminderWrite::Op::kCreate   ? "C"
                       : outcome                            ? "O"
                       : w.op == ReminderWrite::Op::kUpdate ? "U"
                                                            : "D";
      if (outcome) durability = common::Durability::kReplicated;
      std::string expected;
      if (outcome) {
        expected = absl::StrCat(w.claim_token);
      } else {
        DF_ASSIGN_OR_RETURN(expected, storage_.ToStorage(org, w.expected, new_contexts));
      }
      std::string bucket = "0";
      if (!w.value.empty() && w.value[0] == StateTag(ReminderState::REMINDER_STATE_SCHEDULED) &&
          ShouldPark(w.id, w.score, now_ms, options_.park_after)) {
        DF_ASSIGN_OR_RETURN(std::string bucket_key, keys.ParkBucket(ParkDay(w.score)));
        bucket = table.IndexOf(bucket_key);
      }
      DF_ASSIGN_OR_RETURN(std::string value, storage_.ToStorage(org, w.value, new_contexts));
      args.insert(args.end(),
                  {op, w.id, std::move(expected), std::move(value), absl::StrCat(w.score), index,
                   w.delivery, absl::StrCat(w.delivered_ms), std::move(bucket), final_index});
    }
  }
  DF_RETURN_IF_ERROR(storage_.RegisterContexts(org, new_contexts));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Eval(PutRemindersScript(), table.Take(), std::move(args), durability));
  const auto& codes = reply.elements();
  std::vector<WriteResult> results;
  size_t at = 0;
  for (const WriteGroup* group : groups) {
    if (at + EntriesOf(*group) > codes.size()) {
      return absl::InternalError("notification store: short put_reminders reply");
    }
    WriteResult result;
    switch (codes[at++].integer()) {
      case 1:
        result.group = WriteResult::Group::kApplied;
        break;
      case -2:
        result.group = WriteResult::Group::kStale;
        break;
      case -3:
        result.group = WriteResult::Group::kErased;
        break;
      default:
        result.group = WriteResult::Group::kConflict;
        break;
    }
    for (size_t i = 0; i < group->writes.size(); ++i) {
      result.writes.push_back(static_cast<int>(codes[at++].integer()));
    }
    results.push_back(std::move(result));
  }
  return results;
}

absl::Status RedisReminderQueue::ErasePatient(const std::string& org,
                                              const std::string& patient_id) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(std::string index, keys.PatientIndex(patient_id));
  DF_ASSIGN_OR_RETURN(std::string final_index, keys.PatientFinalIndex(patient_id));
  DF_ASSIGN_OR_RETURN(std::string deliveries, keys.PatientDeliveries(patient_id));
  // The delivery stream holds reminder ids only, so it has nothing to erase.
  DF_RETURN_IF_ERROR(redis_
                         .Eval(ErasePatientScript(),
                               {keys.records, keys.queue, keys.retry, keys.inflight, keys.dead,
                                keys.done, keys.erased, keys.deliveries, keys.delivery_time, index,
                                deliveries, final_index, keys.claims, keys.parked},
                               {patient_id}, common::Durability::kReplicated)
                         .status());
  // The texts just deleted stay in Redis's AOF until a rewrite: patient's
  // rewriter also covers this deletion (it may have run before we got here).
  return common::RecordPendingErasure(redis_);
}

absl::StatusOr<std::vector<ClaimedReminder>> RedisReminderQueue::ClaimDue(const std::string& org,
                                                                          absl::Time now,
                                                                          absl::Duration lease,
                                                                          int max) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Eval(ClaimDueScript(),
                                                    {keys.records, keys.queue, keys.retry,
                                                     keys.inflight, keys.claims, keys.claim_seq},
                                                    {absl::StrCat(ToMillis(now)),
                                                     absl::StrCat(absl::ToInt64Milliseconds(lease)),
                                                     absl::StrCat(max)}));
  std::vector<ClaimedReminder> out;
  const auto& items = reply.elements();
  for (size_t i = 0; i + 3 < items.size(); i += 4) {
    DF_ASSIGN_OR_RETURN(std::string expanded, storage_.FromStorage(org, items[i + 1].str()));
    absl::StatusOr<ReminderRecord> record = DecodeRecord(items[i].str(), expanded);
    if (!record.ok()) return record.status();
    ClaimedReminder c;
    c.record = *std::move(record);
    c.bytes = std::move(expanded);
    c.reclaimed = items[i + 2].integer() == 1;
    DF_ASSIGN_OR_RETURN(c.claim_token, items[i + 3].AsInt());
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<DueProbe>> RedisReminderQueue::ProbeDue(
    const std::vector<std::string>& orgs, absl::Time now) {
  constexpr size_t kPerOrg = 5;
  const std::string due_by = absl::StrCat(ToMillis(now));
  std::vector<std::vector<std::string>> commands;
  std::vector<bool> valid(orgs.size());
  commands.reserve(kPerOrg * orgs.size());
  for (size_t i = 0; i < orgs.size(); ++i) {
    absl::StatusOr<NotificationKeys> keys = NotificationKeys::For(orgs[i]);
    valid[i] = keys.ok();
    if (!keys.ok()) continue;
    // ZCOUNT is O(log n): no cost that grows with the queue.
    commands.push_back({"ZCOUNT", keys->queue, "-inf", due_by});
    commands.push_back({"ZCOUNT", keys->retry, "-inf", due_by});
    commands.push_back({"ZRANGE", keys->queue, "0", "0", "WITHSCORES"});
    commands.push_back({"ZRANGE", keys->retry, "0", "0", "WITHSCORES"});
    commands.push_back({"ZRANGE", keys->inflight, "0", "0", "WITHSCORES"});
  }
  std::vector<RedisReply> replies;
  if (!commands.empty()) {
    DF_ASSIGN_OR_RETURN(replies, redis_.Pipeline(commands));
  }
  // The score of a one-member WITHSCORES reply, as a time.
  auto first_score = [](const RedisReply& r) -> std::optional<absl::Time> {
    if (r.elements().size() != 2) return std::nullopt;
    absl::StatusOr<int64_t> ms = r.elements()[1].AsInt();
    if (!ms.ok()) return std::nullopt;
    return absl::FromUnixMillis(*ms);
  };
  std::vector<DueProbe> out(orgs.size());
  size_t next = 0;
  for (size_t i = 0; i < orgs.size(); ++i) {
    if (!valid[i]) continue;
    const RedisReply* r = &replies[next];
    next += kPerOrg;
    if (std::any_of(r, r + kPerOrg, [](const RedisReply& x) { return x.is_error(); })) continue;
    DueProbe& p = out[i];
    p.known = true;
    p.due = r[0].integer() + r[1].integer();
    for (const RedisReply* head : {&r[2], &r[3]}) {
      std::optional<absl::Time> t = first_score(*head);
      if (t.has_value() && *t <= now && (!p.oldest_due || *t < *p.oldest_due)) p.oldest_due = t;
    }
    p.oldest_lease = first_score(r[4]);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisReminderQueue::RenewClaims(
    const std::string& org, const std::vector<HeldClaim>& claims, absl::Duration lease) {
  std::vector<std::string> lost;
  if (claims.empty()) return lost;
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::string> args = {absl::StrCat(absl::ToInt64Milliseconds(lease))};
  args.reserve(1 + 2 * claims.size());
  for (const HeldClaim& c : claims) {
    args.push_back(c.id);
    args.push_back(absl::StrCat(c.claim_token));
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Eval(RenewClaimsScript(),
                                                    {keys.inflight, keys.claims}, std::move(args)));
  for (const RedisReply& id : reply.elements()) lost.push_back(id.str());
  return lost;
}

absl::StatusOr<VersionedRecord> RedisReminderQueue::Get(const std::string& org,
                                                        const std::string& id) {
  DF_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> stored,
                      storage_.ReadStored(org, {id}));
  if (stored.empty() || !stored[0]) {
    return common::NotFoundError(kErrorDomain, kReminderType, id);
  }
  VersionedRecord out;
  DF_ASSIGN_OR_RETURN(out.bytes, storage_.FromStorage(org, *stored[0]));
  DF_ASSIGN_OR_RETURN(out.record, DecodeRecord(id, out.bytes));
  return out;
}

absl::StatusOr<ReminderPage> RedisReminderQueue::ListDeadLetters(
    const std::string& org, int page_size, const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  ZsetScan scan(redis_, keys.dead, {.descending = true, .after = after, .chunk = page_size + 1});
  std::vector<ScoredId> entries;
  ScoredId e;
  while (static_cast<int>(entries.size()) <= page_size) {
    DF_ASSIGN_OR_RETURN(bool more, scan.Next(&e));
    if (!more) break;
    entries.push_back(e);
  }
  ReminderPage page;
  if (static_cast<int>(entries.size()) > page_size) {
    entries.resize(page_size);
    page.next = ListCursor{entries.back().score, entries.back().id};
  }
  if (entries.empty()) return page;
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  for (const ScoredId& s : entries) ids.push_back(s.id);
  DF_ASSIGN_OR_RETURN(page.reminders, storage_.Load(org, ids));
  return page;
}

absl::StatusOr<QueueCounts> RedisReminderQueue::CountQueue(const std::string& org, absl::Time now) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  const std::string now_ms = absl::StrCat(ToMillis(now));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> r,
                      redis_.Pipeline({{"ZCOUNT", keys.queue, absl::StrCat("(", now_ms), "+inf"},
                                       {"ZCOUNT", keys.queue, "-inf", now_ms},
                                       {"ZCARD", keys.inflight},
                                       {"ZCARD", keys.retry},
                                       {"ZCARD", keys.dead},
                                       {"ZRANGE", keys.queue, "0", "0", "WITHSCORES"},
                                       {"GET", keys.parked}}));
  for (const RedisReply& reply : r) DF_RETURN_IF_ERROR(reply.ToStatus());
  // Parked reminders are SCHEDULED too, and never due: the promoter queues
  // each a day ahead (a promoter that stopped shows in its own alert).
  int64_t parked = 0;
  if (!r[6].is_nil()) {
    DF_ASSIGN_OR_RETURN(parked, r[6].AsInt());
  }
  QueueCounts counts{r[0].integer() + std::max<int64_t>(parked, 0), r[1].integer(), r[2].integer(),
                     r[3].integer(), r[4].integer()};
  if (counts.due > 0 && r[5].elements().size() >= 2) {
    counts.oldest_due = FromMillis(static_cast<int64_t>(std::stod(r[5].elements()[1].str())));
  }
  return counts;
}

absl::StatusOr<ReminderPage> RedisReminderQueue::ListReminders(
    const std::string& org, const ReminderFilter& filter, int page_size,
    const std::optional<ListCursor>& after) {
  return ListStoredReminders(redis_, storage_, org, filter, page_size, after);
}

}  // namespace dermaflow::notification
