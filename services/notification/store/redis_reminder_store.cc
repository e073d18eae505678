#include "services/notification/store/redis_reminder_store.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_token_secret.h"
#include "common/events/event_stream.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notification/api/notification_errors.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/lua/claim_due_lua.h"
#include "services/notification/lua/erase_patient_lua.h"
#include "services/notification/lua/put_reminders_lua.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/zset_scan.h"

namespace dermaflow::notification {
namespace {

using common::RedisReply;

constexpr int kListScanBudget = 5'000;

// The fixed KEYS of lua/put_reminders.lua.
std::vector<std::string> PutKeys(const NotificationKeys& k) {
  return {
      k.records,    k.queue,         k.retry,           k.inflight,        k.dead, k.done, k.erased,
      k.deliveries, k.delivery_time, k.delivery_stream, k.delivery_watched};
}

// Keys a put_reminders call names beyond the fixed ones, numbered on from them.
class KeyTable {
 public:
  explicit KeyTable(std::vector<std::string> fixed) : keys_(std::move(fixed)) {}
  std::string IndexOf(const std::string& key) {
    auto [it, added] = positions_.emplace(key, static_cast<int>(keys_.size()) + 1);
    if (added) keys_.push_back(key);
    return absl::StrCat(it->second);
  }
  std::vector<std::string> Take() { return std::move(keys_); }

 private:
  std::vector<std::string> keys_;
  std::map<std::string, int> positions_;
};

size_t EntriesOf(const WriteGroup& g) { return g.writes.size() + 1; }

bool Before(int64_t a_ms, const std::string& a_id, int64_t b_ms, const std::string& b_id) {
  return a_ms != b_ms ? a_ms < b_ms : a_id < b_id;
}

// A source of reminder candidates in (due, id) order for ListReminders.
class Candidates {
 public:
  virtual ~Candidates() = default;
  virtual absl::StatusOr<const ScoredId*> Peek() = 0;
  virtual void Pop() = 0;
};

class ZsetCandidates : public Candidates {
 public:
  ZsetCandidates(common::RedisClient& redis, std::string key, ZsetScanRange range)
      : scan_(redis, std::move(key), std::move(range)) {}
  absl::StatusOr<const ScoredId*> Peek() override { return scan_.Peek(); }
  void Pop() override {
    ScoredId ignored;
    (void)scan_.Next(&ignored);
  }

 private:
  ZsetScan scan_;
};

// IN_FLIGHT and DEAD_LETTER sets are scored by lease and failure time, not
// by due time; they are small, so they are read whole and sorted by due.
class LoadedCandidates : public Candidates {
 public:
  explicit LoadedCandidates(std::vector<ScoredId> sorted) : items_(std::move(sorted)) {}
  absl::StatusOr<const ScoredId*> Peek() override {
    return next_ < items_.size() ? &items_[next_] : nullptr;
  }
  void Pop() override { ++next_; }

 private:
  std::vector<ScoredId> items_;
  size_t next_ = 0;
};

bool Wants(const ReminderFilter& f, std::initializer_list<ReminderState> states) {
  if (f.states.empty()) return true;
  for (ReminderState s : states) {
    if (std::find(f.states.begin(), f.states.end(), s) != f.states.end()) return true;
  }
  return false;
}

}  // namespace

bool ReminderFilter::Matches(const ReminderRecord& r) const {
  const internal::StoredReminder& d = r.data;
  if (!patient_id.empty() && d.patient_id() != patient_id) return false;
  if (!appointment_id.empty() && d.appointment_id() != appointment_id) return false;
  if (!course_id.empty() && d.course_id() != course_id) return false;
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), KindOf(d)) == kinds.end())
    return false;
  if (!states.empty() && std::find(states.begin(), states.end(), r.state) == states.end())
    return false;
  if (due_from && d.due_ms() < ToMillis(*due_from)) return false;
  if (due_to && d.due_ms() >= ToMillis(*due_to)) return false;
  return true;
}

RedisReminderStore::RedisReminderStore(common::RedisClient& redis,
                                       RedisReminderStoreOptions options)
    : redis_(redis), options_(std::move(options)) {}

absl::StatusOr<std::string> RedisReminderStore::ToStorage(
    const std::string& org, const std::string& record,
    std::map<uint64_t, RecordContext>& new_contexts) {
  if (record.empty()) return record;
  CompactRecord compact = Compact(record);
  if (compact.context_key != 0) {
    std::lock_guard<std::mutex> lock(contexts_mu_);
    auto& known = contexts_[org];
    auto it = known.find(compact.context_key);
    if (it == known.end()) {
      new_contexts[compact.context_key] = compact.context;
    } else if (!(it->second == compact.context)) {
      // Two triples with one 64-bit key: never seen, but never mix them up.
      return absl::InternalError("notification store: context key collision");
    }
  }
  return std::move(compact.bytes);
}

absl::Status RedisReminderStore::RegisterContexts(
    const std::string& org, const std::map<uint64_t, RecordContext>& contexts) {
  if (contexts.empty()) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::string> cmd = {"HSET", keys.contexts};
  for (const auto& [key, context] : contexts) {
    cmd.push_back(absl::StrCat(absl::Hex(key, absl::kZeroPad16)));
    cmd.push_back(context.Serialize());
  }
  DF_RETURN_IF_ERROR(redis_.Command(std::move(cmd)).status());
  std::lock_guard<std::mutex> lock(contexts_mu_);
  for (const auto& [key, context] : contexts) contexts_[org][key] = context;
  return absl::OkStatus();
}

absl::StatusOr<std::string> RedisReminderStore::FromStorage(const std::string& org,
                                                            const std::string& stored) {
  return Expand(stored, [&](uint64_t key) -> absl::StatusOr<RecordContext> {
    {
      std::lock_guard<std::mutex> lock(contexts_mu_);
      auto& known = contexts_[org];
      auto it = known.find(key);
      if (it != known.end()) return it->second;
    }
    DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
    DF_ASSIGN_OR_RETURN(
        RedisReply reply,
        redis_.Command({"HGET", keys.contexts, absl::StrCat(absl::Hex(key, absl::kZeroPad16))}));
    std::optional<RecordContext> context =
        reply.is_nil() ? std::nullopt : RecordContext::Parse(reply.str());
    if (!context) return absl::InternalError("notification store: unknown record context");
    std::lock_guard<std::mutex> lock(contexts_mu_);
    contexts_[org][key] = *context;
    return *context;
  });
}

std::vector<ReminderRecord> RedisReminderStore::DecodeAll(const std::string& org,
                                                          const std::vector<std::string>& ids,
                                                          const RedisReply& values) {
  std::vector<ReminderRecord> out;
  const auto& items = values.elements();
  for (size_t i = 0; i < ids.size() && i < items.size(); ++i) {
    if (items[i].is_nil()) continue;
    absl::StatusOr<std::string> expanded = FromStorage(org, items[i].str());
    if (!expanded.ok()) continue;
    absl::StatusOr<ReminderRecord> r = DecodeRecord(ids[i], *expanded);
    if (r.ok()) out.push_back(*std::move(r));
  }
  return out;
}

absl::Status RedisReminderStore::AckEventsImpl(const std::string& stream, const std::string& group,
                                               const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return absl::OkStatus();
  std::vector<std::string> cmd = {"XACK", stream, group};
  cmd.insert(cmd.end(), entry_ids.begin(), entry_ids.end());
  return redis_.Command(std::move(cmd)).status();
}

absl::StatusOr<PlanningSnapshot> RedisReminderStore::ReadForPlanning(
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
  for (const std::string& appointment : appointment_ids) {
    DF_ASSIGN_OR_RETURN(std::string guard, keys.Appointment(appointment));
    commands.push_back({"GET", guard});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(std::move(commands)));
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
  for (size_t a = 0; a < appointment_ids.size(); ++a) {
    const RedisReply& r = replies[2 * patient_ids.size() + a];
    if (r.is_nil()) continue;
    DF_ASSIGN_OR_RETURN(int64_t ms, r.AsInt());
    snapshot.appointment_versions[appointment_ids[a]] = ms;
  }
  if (ids.empty()) return snapshot;
  std::vector<std::string> hmget = {"HMGET", keys.records};
  hmget.insert(hmget.end(), ids.begin(), ids.end());
  DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(hmget)));
  for (size_t i = 0; i < ids.size() && i < values.elements().size(); ++i) {
    if (values.elements()[i].is_nil()) continue;
    absl::StatusOr<std::string> expanded = FromStorage(org, values.elements()[i].str());
    if (expanded.ok()) snapshot.records[*owners[i]][ids[i]] = *std::move(expanded);
  }
  return snapshot;
}

absl::StatusOr<std::vector<WriteResult>> RedisReminderStore::Write(
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

absl::StatusOr<std::vector<WriteResult>> RedisReminderStore::WriteChunk(
    const std::string& org, const std::vector<const WriteGroup*>& groups) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  KeyTable table(PutKeys(keys));
  std::vector<std::string> args = {absl::StrCat(options_.delivery_stream_max_len)};
  const std::string guard_ttl =
      absl::StrCat(absl::ToInt64Milliseconds(options_.appointment_guard_ttl));
  std::map<uint64_t, RecordContext> new_contexts;
  for (const WriteGroup* group : groups) {
    std::string guard = "0";
    if (!group->appointment_id.empty()) {
      DF_ASSIGN_OR_RETURN(std::string key, keys.Appointment(group->appointment_id));
      guard = table.IndexOf(key);
    }
    args.insert(args.end(),
                {"B", group->atomic ? "1" : "0", guard, absl::StrCat(group->appointment_update_ms),
                 guard_ttl, group->unless_erased_patient, "", "", ""});
    for (const ReminderWrite& w : group->writes) {
      std::string index = "0";
      std::string deliveries_index = "0";
      if (w.op != ReminderWrite::Op::kUpdate && !w.patient_id.empty()) {
        DF_ASSIGN_OR_RETURN(std::string key, keys.PatientIndex(w.patient_id));
        index = table.IndexOf(key);
      }
      if (!w.delivery.empty()) {
        DF_ASSIGN_OR_RETURN(std::string key, keys.PatientDeliveries(w.patient_id));
        deliveries_index = table.IndexOf(key);
      }
      const char* op = w.op == ReminderWrite::Op::kCreate   ? "C"
                       : w.op == ReminderWrite::Op::kUpdate ? "U"
                                                            : "D";
      DF_ASSIGN_OR_RETURN(std::string expected, ToStorage(org, w.expected, new_contexts));
      DF_ASSIGN_OR_RETURN(std::string value, ToStorage(org, w.value, new_contexts));
      args.insert(args.end(),
                  {op, w.id, std::move(expected), std::move(value), absl::StrCat(w.score), index,
                   w.delivery, absl::StrCat(w.delivered_ms), deliveries_index});
    }
  }
  DF_RETURN_IF_ERROR(RegisterContexts(org, new_contexts));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Eval(PutRemindersScript(), table.Take(), std::move(args)));
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

absl::Status RedisReminderStore::ErasePatient(const std::string& org,
                                              const std::string& patient_id) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(std::string index, keys.PatientIndex(patient_id));
  DF_ASSIGN_OR_RETURN(std::string deliveries, keys.PatientDeliveries(patient_id));
  // The delivery stream holds reminder ids only, so it has nothing to erase.
  return redis_
      .Eval(ErasePatientScript(),
            {keys.records, keys.queue, keys.retry, keys.inflight, keys.dead, keys.done, keys.erased,
             keys.deliveries, keys.delivery_time, index, deliveries},
            {patient_id})
      .status();
}

absl::Status RedisReminderStore::PutClinics(const std::string& org,
                                            const std::vector<ClinicInfo>& clinics) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::vector<std::string>> commands;
  for (const ClinicInfo& c : clinics) {
    DF_ASSIGN_OR_RETURN(std::string key, keys.Clinic(c.id));
    std::vector<std::string> cmd = {"HSET", key, "name", c.display_name, "tz", c.time_zone};
    if (c.has_contact_phone) cmd.insert(cmd.end(), {"phone", c.contact_phone});
    commands.push_back(std::move(cmd));
  }
  if (commands.empty()) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(std::move(commands)));
  for (const RedisReply& r : replies) DF_RETURN_IF_ERROR(r.ToStatus());
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, ClinicInfo>> RedisReminderStore::GetClinics(
    const std::string& org, const std::vector<std::string>& clinic_ids) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::map<std::string, ClinicInfo> out;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : clinic_ids) {
    DF_ASSIGN_OR_RETURN(std::string key, keys.Clinic(id));
    commands.push_back({"HMGET", key, "name", "tz", "phone"});
  }
  if (commands.empty()) return out;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(std::move(commands)));
  for (size_t i = 0; i < clinic_ids.size(); ++i) {
    DF_RETURN_IF_ERROR(replies[i].ToStatus());
    const auto& f = replies[i].elements();
    if (f.size() < 3 || (f[0].is_nil() && f[1].is_nil())) continue;
    out[clinic_ids[i]] =
        ClinicInfo{clinic_ids[i], f[0].str(), f[1].str(), f[2].str(), !f[2].is_nil()};
  }
  return out;
}

absl::StatusOr<std::vector<ClaimedReminder>> RedisReminderStore::ClaimDue(const std::string& org,
                                                                          absl::Time now,
                                                                          absl::Duration lease,
                                                                          int max) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_.Eval(ClaimDueScript(), {keys.records, keys.queue, keys.retry, keys.inflight},
                  {absl::StrCat(ToMillis(now)), absl::StrCat(absl::ToInt64Milliseconds(lease)),
                   absl::StrCat(max)}));
  std::vector<ClaimedReminder> out;
  const auto& items = reply.elements();
  for (size_t i = 0; i + 2 < items.size(); i += 3) {
    DF_ASSIGN_OR_RETURN(std::string expanded, FromStorage(org, items[i + 1].str()));
    absl::StatusOr<ReminderRecord> record = DecodeRecord(items[i].str(), expanded);
    if (!record.ok()) return record.status();
    ClaimedReminder c;
    c.record = *std::move(record);
    c.bytes = std::move(expanded);
    c.reclaimed = items[i + 2].integer() == 1;
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisReminderStore::Organizations() {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"SMEMBERS", common::OrganizationsKey()}));
  std::vector<std::string> orgs;
  for (const RedisReply& r : reply.elements()) orgs.push_back(r.str());
  std::sort(orgs.begin(), orgs.end());
  return orgs;
}

absl::StatusOr<VersionedRecord> RedisReminderStore::Get(const std::string& org,
                                                        const std::string& id) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGET", keys.records, id}));
  if (reply.is_nil()) {
    return common::NotFoundError(kErrorDomain, kReminderType, id);
  }
  VersionedRecord out;
  DF_ASSIGN_OR_RETURN(out.bytes, FromStorage(org, reply.str()));
  DF_ASSIGN_OR_RETURN(out.record, DecodeRecord(id, out.bytes));
  return out;
}

absl::StatusOr<ReminderPage> RedisReminderStore::ListPatientReminders(
    const std::string& org, const ReminderFilter& filter, int page_size,
    const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(std::string index, keys.PatientIndex(filter.patient_id));
  DF_ASSIGN_OR_RETURN(RedisReply id_reply, redis_.Command({"HKEYS", index}));
  std::vector<std::string> ids;
  for (const RedisReply& r : id_reply.elements()) ids.push_back(r.str());
  std::vector<ReminderRecord> records;
  if (!ids.empty()) {
    std::vector<std::string> cmd = {"HMGET", keys.records};
    cmd.insert(cmd.end(), ids.begin(), ids.end());
    DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(cmd)));
    records = DecodeAll(org, ids, values);
  }
  std::erase_if(records, [&](const ReminderRecord& r) {
    return !filter.Matches(r) ||
           (after && !Before(after->time_ms, after->id, r.data.due_ms(), r.id));
  });
  std::sort(records.begin(), records.end(), [](const ReminderRecord& a, const ReminderRecord& b) {
    return Before(a.data.due_ms(), a.id, b.data.due_ms(), b.id);
  });
  ReminderPage page;
  if (static_cast<int>(records.size()) > page_size) {
    records.resize(page_size);
    page.next = ListCursor{records.back().data.due_ms(), records.back().id};
  }
  page.reminders = std::move(records);
  return page;
}

absl::StatusOr<ReminderPage> RedisReminderStore::ListReminders(
    const std::string& org, const ReminderFilter& filter, int page_size,
    const std::optional<ListCursor>& after) {
  if (!filter.patient_id.empty()) return ListPatientReminders(org, filter, page_size, after);
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));

  // Sets scored by due time are scanned in order; the others loaded whole.
  ZsetScanRange range;
  if (filter.due_from) range.min = ToMillis(*filter.due_from);
  if (filter.due_to) range.max_exclusive = ToMillis(*filter.due_to);
  range.after = after;
  std::vector<std::unique_ptr<Candidates>> sources;
  std::map<std::string, ReminderRecord> loaded;
  if (Wants(filter, {ReminderState::REMINDER_STATE_SCHEDULED})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis_, keys.queue, range));
  }
  if (Wants(filter, {ReminderState::REMINDER_STATE_RETRYING})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis_, keys.retry, range));
  }
  if (Wants(filter,
            {ReminderState::REMINDER_STATE_DELIVERED, ReminderState::REMINDER_STATE_CANCELLED,
             ReminderState::REMINDER_STATE_SUPPRESSED})) {
    sources.push_back(std::make_unique<ZsetCandidates>(redis_, keys.done, range));
  }
  for (const auto& [state, key] :
       {std::pair{ReminderState::REMINDER_STATE_IN_FLIGHT, keys.inflight},
        std::pair{ReminderState::REMINDER_STATE_DEAD_LETTER, keys.dead}}) {
    if (!Wants(filter, {state})) continue;
    DF_ASSIGN_OR_RETURN(RedisReply members, redis_.Command({"ZRANGE", key, "0", "-1"}));
    std::vector<std::string> ids;
    for (const RedisReply& m : members.elements()) ids.push_back(m.str());
    std::vector<ScoredId> sorted;
    if (!ids.empty()) {
      std::vector<std::string> cmd = {"HMGET", keys.records};
      cmd.insert(cmd.end(), ids.begin(), ids.end());
      DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(cmd)));
      for (ReminderRecord& r : DecodeAll(org, ids, values)) {
        if (after && !Before(after->time_ms, after->id, r.data.due_ms(), r.id)) continue;
        sorted.push_back(ScoredId{r.data.due_ms(), r.id});
        loaded[r.id] = std::move(r);
      }
    }
    std::sort(sorted.begin(), sorted.end(), [](const ScoredId& a, const ScoredId& b) {
      return Before(a.score, a.id, b.score, b.id);
    });
    sources.push_back(std::make_unique<LoadedCandidates>(std::move(sorted)));
  }

  // Merge the sources, fetch records a batch at a time and filter them; one
  // match beyond the page says whether there is a next page.
  ReminderPage page;
  int scanned = 0;
  std::optional<ListCursor> last_scanned;
  while (true) {
    std::vector<ScoredId> batch;
    while (batch.size() < 100) {
      Candidates* best = nullptr;
      const ScoredId* best_head = nullptr;
      for (auto& source : sources) {
        DF_ASSIGN_OR_RETURN(const ScoredId* head, source->Peek());
        if (head &&
            (!best_head || Before(head->score, head->id, best_head->score, best_head->id))) {
          best = source.get();
          best_head = head;
        }
      }
      if (!best) break;
      batch.push_back(*best_head);
      best->Pop();
    }
    if (batch.empty()) return page;
    std::vector<std::string> missing;
    for (const ScoredId& c : batch) {
      if (!loaded.contains(c.id)) missing.push_back(c.id);
    }
    if (!missing.empty()) {
      std::vector<std::string> cmd = {"HMGET", keys.records};
      cmd.insert(cmd.end(), missing.begin(), missing.end());
      DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(cmd)));
      for (ReminderRecord& r : DecodeAll(org, missing, values)) loaded[r.id] = std::move(r);
    }
    for (const ScoredId& c : batch) {
      ++scanned;
      last_scanned = ListCursor{c.score, c.id};
      auto it = loaded.find(c.id);
      if (it == loaded.end() || !filter.Matches(it->second)) continue;
      if (static_cast<int>(page.reminders.size()) == page_size) {
        page.next = ListCursor{page.reminders.back().data.due_ms(), page.reminders.back().id};
        return page;
      }
      page.reminders.push_back(std::move(it->second));
      loaded.erase(it);
    }
    if (scanned >= kListScanBudget) {
      // A sparse filter over a big queue: hand back what was found and
      // continue from here next time rather than scan without bound.
      page.next = last_scanned;
      return page;
    }
  }
}

absl::StatusOr<ReminderPage> RedisReminderStore::ListDeadLetters(
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
  for (const ScoredId& s : entries) ids.push_back(s.id);
  std::vector<std::string> cmd = {"HMGET", keys.records};
  cmd.insert(cmd.end(), ids.begin(), ids.end());
  DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(cmd)));
  page.reminders = DecodeAll(org, ids, values);
  return page;
}

absl::StatusOr<QueueCounts> RedisReminderStore::CountQueue(const std::string& org, absl::Time now) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  const std::string now_ms = absl::StrCat(ToMillis(now));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> r,
                      redis_.Pipeline({{"ZCOUNT", keys.queue, absl::StrCat("(", now_ms), "+inf"},
                                       {"ZCOUNT", keys.queue, "-inf", now_ms},
                                       {"ZCARD", keys.inflight},
                                       {"ZCARD", keys.retry},
                                       {"ZCARD", keys.dead},
                                       {"ZRANGE", keys.queue, "0", "0", "WITHSCORES"}}));
  for (const RedisReply& reply : r) DF_RETURN_IF_ERROR(reply.ToStatus());
  QueueCounts counts{r[0].integer(), r[1].integer(), r[2].integer(), r[3].integer(),
                     r[4].integer()};
  if (counts.due > 0 && r[5].elements().size() >= 2) {
    counts.oldest_due = FromMillis(static_cast<int64_t>(std::stod(r[5].elements()[1].str())));
  }
  return counts;
}

absl::StatusOr<DeliveryPage> RedisReminderStore::ListDeliveries(
    const std::string& org, const DeliveryFilter& filter, int page_size,
    const std::optional<ListCursor>& after) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::string source = keys.delivery_time;
  if (!filter.patient_id.empty()) {
    DF_ASSIGN_OR_RETURN(source, keys.PatientDeliveries(filter.patient_id));
  }
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
      if (!filter.channels.empty() && std::find(filter.channels.begin(), filter.channels.end(),
                                                d.channel()) == filter.channels.end()) {
        continue;
      }
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

absl::Status RedisReminderStore::MarkWatched(const std::string& org, absl::Duration ttl) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  return redis_
      .Command(
          {"SET", keys.delivery_watched, "1", "PX", absl::StrCat(absl::ToInt64Milliseconds(ttl))})
      .status();
}

absl::StatusOr<std::string> RedisReminderStore::DeliveryStreamEnd(const std::string& org) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"XREVRANGE", keys.delivery_stream, "+", "-", "COUNT", "1"}));
  if (reply.elements().empty() || reply.elements()[0].elements().empty()) return std::string("0-0");
  return reply.elements()[0].elements()[0].str();
}

absl::StatusOr<std::vector<StreamedDelivery>> RedisReminderStore::ReadDeliveryStreams(
    std::map<std::string, std::string>& positions, absl::Duration block) {
  std::vector<StreamedDelivery> out;
  if (positions.empty()) return out;
  std::vector<std::string> cmd = {
      "XREAD",
      "COUNT",
      "500",
      "BLOCK",
      absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(block))),
      "STREAMS"};
  std::map<std::string, NotificationKeys> by_stream;
  for (const auto& [org, position] : positions) {
    DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
    cmd.push_back(keys.delivery_stream);
    by_stream.emplace(keys.delivery_stream, std::move(keys));
  }
  for (const auto& [org, position] : positions) cmd.push_back(position);
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command(std::move(cmd), block + absl::Seconds(2)));
  // [[stream, [[entry id, [field, value]], ...]], ...], or nil on timeout.
  for (const RedisReply& stream : reply.elements()) {
    if (stream.elements().size() < 2) continue;
    auto keys = by_stream.find(stream.elements()[0].str());
    if (keys == by_stream.end()) continue;
    std::vector<std::string> ids;
    for (const RedisReply& entry : stream.elements()[1].elements()) {
      if (entry.elements().size() < 2) continue;
      positions[keys->second.org] = entry.elements()[0].str();
      const auto& fields = entry.elements()[1].elements();
      if (fields.size() >= 2) ids.push_back(fields[1].str());
    }
    if (ids.empty()) continue;
    std::vector<std::string> hmget = {"HMGET", keys->second.deliveries};
    hmget.insert(hmget.end(), ids.begin(), ids.end());
    DF_ASSIGN_OR_RETURN(RedisReply values, redis_.Command(std::move(hmget)));
    for (const RedisReply& v : values.elements()) {
      StreamedDelivery d;
      d.organization = keys->second.org;
      if (!v.is_nil() && d.delivery.ParseFromString(v.str())) out.push_back(std::move(d));
    }
  }
  return out;
}

absl::StatusOr<int64_t> RedisReminderStore::PendingEvents(const std::string& group) {
  DF_ASSIGN_OR_RETURN(std::vector<std::string> orgs, Organizations());
  std::vector<std::vector<std::string>> commands;
  for (const std::string& org : orgs) {
    absl::StatusOr<std::string> stream = common::StreamKey(org);
    if (stream.ok()) commands.push_back({"XPENDING", *stream, group});
  }
  if (commands.empty()) return 0;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(std::move(commands)));
  int64_t pending = 0;
  for (const RedisReply& r : replies) {
    // NOGROUP: the consumer has not looked at that stream yet.
    if (!r.is_error() && !r.elements().empty()) pending += r.elements()[0].integer();
  }
  return pending;
}

absl::StatusOr<std::string> RedisReminderStore::PageTokenSecret() {
  return common::LoadPageTokenSecret(redis_, "notification");
}

}  // namespace dermaflow::notification
