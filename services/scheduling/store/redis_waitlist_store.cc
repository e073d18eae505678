#include "services/scheduling/store/redis_waitlist_store.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/request_id.h"
#include "common/events/event_stream.h"
#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"
#include "services/scheduling/lua/calendar_lua.h"
#include "services/scheduling/lua/commit_lua.h"
#include "services/scheduling/lua/waitlist_decline_lua.h"
#include "services/scheduling/lua/waitlist_hold_lua.h"
#include "services/scheduling/lua/waitlist_release_lua.h"
#include "services/scheduling/store/redis_codec.h"
#include "services/scheduling/store/scheduling_keys.h"
#include "services/scheduling/store/script_call.h"

namespace dermaflow::scheduling {
namespace {

using common::RedisReply;

constexpr int64_t kRequestTtlSeconds = int64_t{48} * 3600;

const common::LuaScript& HoldScript() {
  static const common::LuaScript& script = *new common::LuaScript(
      "waitlist_hold",
      absl::StrCat(CalendarScript().source(), "\n", WaitlistHoldScript().source()));
  return script;
}
const common::LuaScript& ReleaseScript() {
  static const common::LuaScript& script = *new common::LuaScript(
      "waitlist_release",
      absl::StrCat(CalendarScript().source(), "\n", WaitlistReleaseScript().source()));
  return script;
}

int64_t Unix(absl::Time t) { return absl::ToUnixSeconds(t); }

absl::Time FromUnixField(const std::string& s) {
  int64_t v = 0;
  return absl::SimpleAtoi(s, &v) ? absl::FromUnixSeconds(v) : absl::InfinitePast();
}

v1::WaitlistEntryState EntryStateOf(const std::string& s) {
  if (s == "WAITING") return v1::WAITLIST_ENTRY_STATE_WAITING;
  if (s == "OFFERED") return v1::WAITLIST_ENTRY_STATE_OFFERED;
  if (s == "BOOKED") return v1::WAITLIST_ENTRY_STATE_BOOKED;
  return v1::WAITLIST_ENTRY_STATE_UNSPECIFIED;
}

v1::WaitlistOfferState OfferStateOf(const std::string& s) {
  if (s == "OPEN") return v1::WAITLIST_OFFER_STATE_OPEN;
  if (s == "ACCEPTED") return v1::WAITLIST_OFFER_STATE_ACCEPTED;
  if (s == "TAKEN") return v1::WAITLIST_OFFER_STATE_TAKEN;
  if (s == "EXPIRED") return v1::WAITLIST_OFFER_STATE_EXPIRED;
  if (s == "DECLINED") return v1::WAITLIST_OFFER_STATE_DECLINED;
  return v1::WAITLIST_OFFER_STATE_UNSPECIFIED;
}

// HMGET pb state etag appointment -> the entry; nullopt when missing/deleted.
absl::StatusOr<std::optional<v1::WaitlistEntry>> ParseEntry(const RedisReply& reply) {
  DF_RETURN_IF_ERROR(reply.ToStatus());
  const auto& f = reply.elements();
  if (f.size() != 4 || f[0].is_nil() || f[1].str() == "DELETED") return std::nullopt;
  DF_ASSIGN_OR_RETURN(v1::WaitlistEntry entry, ParseReply<v1::WaitlistEntry>(f[0]));
  entry.set_state(EntryStateOf(f[1].str()));
  entry.set_etag(f[2].str());
  if (!f[3].is_nil()) entry.set_appointment_id(f[3].str());
  return entry;
}

std::vector<std::string> Words(const std::string& s) {
  return absl::StrSplit(s, ' ', absl::SkipEmpty());
}

absl::StatusOr<std::vector<std::string>> ZRange(common::RedisClient& redis, const std::string& key,
                                                bool reverse, int64_t offset, int64_t count) {
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis.Command({reverse ? "ZREVRANGE" : "ZRANGE", key, absl::StrCat(offset),
                                     absl::StrCat(offset + count - 1)}));
  std::vector<std::string> ids;
  for (const RedisReply& id : reply.elements()) ids.push_back(id.str());
  return ids;
}

}  // namespace

std::string HoldIdFor(const std::string& slot_id) { return absl::StrCat("hold_", slot_id); }

RedisWaitlistStore::RedisWaitlistStore(common::RedisClient& redis, const common::Clock& clock,
                                       common::EventStreamOptions stream_options)
    : redis_(redis), clock_(clock), publisher_(redis, clock, stream_options) {}

absl::Status RedisWaitlistStore::EnsureRegistered(const std::string& org) {
  {
    absl::MutexLock lock(&mu_);
    if (registered_.count(org) > 0) return absl::OkStatus();
  }
  DF_RETURN_IF_ERROR(publisher_.RegisterOrganization(org));
  absl::MutexLock lock(&mu_);
  registered_.insert(org);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> RedisWaitlistStore::CreateEntry(
    const std::string& org, const v1::WaitlistEntry& entry, const std::string& request_id,
    const std::string& fingerprint) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::WaitlistEntry(org, entry.id()));
  DF_ASSIGN_OR_RETURN(std::string all, keys::WaitlistEntries(org));
  DF_ASSIGN_OR_RETURN(std::string index,
                      keys::WaitlistIndex(org, entry.clinic_id(), entry.protocol_id()));
  std::string request_key;
  ScriptCall call;
  if (!request_id.empty()) {
    DF_ASSIGN_OR_RETURN(request_key, keys::Request(org, "waitlist", request_id));
    call.Request(request_key, fingerprint);
  }
  call.Cas(key, "", "entry");
  const int64_t score = absl::ToUnixMillis(ToTime(entry.create_time()));
  call.HSet(key, {"pb", entry.SerializeAsString(), "state", "WAITING", "etag", entry.etag(),
                  "version", "0", "score", absl::StrCat(score)});
  call.ZAdd(all, score, entry.id()).ZAdd(index, score, entry.id());
  if (!request_id.empty()) {
    call.SetEx(request_key, kRequestTtlSeconds, absl::StrCat(fingerprint, "\n", entry.id()));
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply, call.Run(redis_, CommitScript()));
  if (IsReplay(reply)) return reply.elements()[1].str();
  return std::nullopt;
}

absl::StatusOr<v1::WaitlistEntry> RedisWaitlistStore::GetEntry(const std::string& org,
                                                               const std::string& id) {
  DF_ASSIGN_OR_RETURN(std::vector<v1::WaitlistEntry> entries, GetEntries(org, {id}));
  if (entries.empty()) return common::NotFoundError(kErrorDomain, kWaitlistEntryType, id);
  return std::move(entries[0]);
}

absl::StatusOr<std::vector<v1::WaitlistEntry>> RedisWaitlistStore::GetEntries(
    const std::string& org, const std::vector<std::string>& ids) {
  std::vector<v1::WaitlistEntry> out;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : ids) {
    absl::StatusOr<std::string> key = keys::WaitlistEntry(org, id);
    if (!key.ok()) continue;  // not an id this service made
    commands.push_back({"HMGET", *key, "pb", "state", "etag", "appointment"});
  }
  if (commands.empty()) return out;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (const RedisReply& reply : replies) {
    DF_ASSIGN_OR_RETURN(std::optional<v1::WaitlistEntry> entry, ParseEntry(reply));
    if (entry) out.push_back(*std::move(entry));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisWaitlistStore::ListEntryIds(
    const std::string& org, const std::string& clinic_id, const std::string& protocol_id,
    int64_t offset, int64_t count) {
  std::string key;
  if (clinic_id.empty()) {
    DF_ASSIGN_OR_RETURN(key, keys::WaitlistEntries(org));
  } else {
    absl::StatusOr<std::string> index = keys::WaitlistIndex(org, clinic_id, protocol_id);
    if (!index.ok()) return std::vector<std::string>();
    key = *index;
  }
  return ZRange(redis_, key, false, offset, count);
}

absl::Status RedisWaitlistStore::DeleteEntry(const std::string& org, const v1::WaitlistEntry& entry,
                                             const std::string& etag) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::WaitlistEntry(org, entry.id()));
  DF_ASSIGN_OR_RETURN(std::string all, keys::WaitlistEntries(org));
  DF_ASSIGN_OR_RETURN(std::string index,
                      keys::WaitlistIndex(org, entry.clinic_id(), entry.protocol_id()));
  ScriptCall call;
  call.Cas(key, etag.empty() ? entry.etag() : etag, absl::StrCat("entry ", entry.id()));
  call.HSet(key, {"state", "DELETED", "etag", absl::StrCat(entry.etag(), "-deleted")});
  call.ZRem(all, entry.id()).ZRem(index, entry.id());
  absl::StatusOr<RedisReply> reply = call.Run(redis_, CommitScript());
  if (reply.ok()) return absl::OkStatus();
  if (common::IsRedisError(reply.status(), "ETAG_MISMATCH")) {
    return common::EtagMismatchError(kErrorDomain, kWaitlistEntryType, entry.id());
  }
  if (common::IsRedisError(reply.status(), "NOT_FOUND")) {
    return common::NotFoundError(kErrorDomain, kWaitlistEntryType, entry.id());
  }
  return reply.status();
}

absl::StatusOr<bool> RedisWaitlistStore::RecordSlot(const std::string& org, const FreedSlot& s) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::WaitlistSlot(org, s.slot_id));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  ScriptCall call;
  call.Cas(key, "", "slot");
  call.HSet(key,
            {"etag", "1", "clinic", s.clinic_id, "practitioner", s.practitioner_id, "protocol",
             s.protocol_id, "start", absl::StrCat(Unix(s.start)), "end", absl::StrCat(Unix(s.end)),
             "freed_at", absl::StrCat(Unix(s.freed_at)), "state", "RELEASED", "round", "0"});
  call.ZAdd(due, Unix(s.freed_at), s.slot_id);
  absl::StatusOr<RedisReply> reply = call.Run(redis_, CommitScript());
  if (common::IsRedisError(reply.status(), "EXISTS")) return false;
  DF_RETURN_IF_ERROR(reply.status());
  return true;
}

absl::StatusOr<std::optional<SlotRecord>> RedisWaitlistStore::GetSlot(const std::string& org,
                                                                      const std::string& slot_id) {
  absl::StatusOr<std::string> key = keys::WaitlistSlot(org, slot_id);
  if (!key.ok()) return std::nullopt;
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGETALL", *key}));
  std::map<std::string, std::string> f;
  const auto& items = reply.elements();
  for (size_t i = 0; i + 1 < items.size(); i += 2) f[items[i].str()] = items[i + 1].str();
  if (f.empty()) return std::nullopt;
  SlotRecord r;
  r.slot = {slot_id,
            f["clinic"],
            f["practitioner"],
            f["protocol"],
            FromUnixField(f["start"]),
            FromUnixField(f["end"]),
            FromUnixField(f["freed_at"])};
  const std::string& state = f["state"];
  r.state = state == "HELD"     ? SlotState::kHeld
            : state == "FILLED" ? SlotState::kFilled
            : state == "CLOSED" ? SlotState::kClosed
                                : SlotState::kReleased;
  r.round = f["round"];
  r.hold_until = FromUnixField(f["hold_until"]);
  r.room_id = f["room"];
  r.offer_ids = Words(f["offers"]);
  r.offered = Words(f["offered"]);
  r.occupied_until = FromUnixField(f["occupied"]);
  return r;
}

absl::StatusOr<HoldOutcome> RedisWaitlistStore::Hold(const std::string& org,
                                                     const HoldRound& round) {
  DF_RETURN_IF_ERROR(EnsureRegistered(org));
  DF_ASSIGN_OR_RETURN(std::string slot, keys::WaitlistSlot(org, round.slot_id));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  DF_ASSIGN_OR_RETURN(std::string practitioner,
                      keys::Busy(org, "practitioner", round.practitioner_id));
  DF_ASSIGN_OR_RETURN(std::string stream, common::StreamKey(org));
  DF_ASSIGN_OR_RETURN(std::string all, keys::WaitlistOffers(org, "all", "-"));
  DF_ASSIGN_OR_RETURN(std::string by_slot, keys::WaitlistOffers(org, "slot", round.slot_id));
  ScriptCall call;
  call.Key(slot).Arg(round.expected_round).Arg(Unix(round.hold_until)).Arg(Unix(round.now));
  call.Key(due).Arg(round.slot_id);
  call.Arg(HoldIdFor(round.slot_id)).Arg(Unix(round.start)).Arg(Unix(round.occupied_until));
  call.Key(practitioner).Arg(static_cast<int64_t>(round.room_candidates.size()));
  for (const std::string& room : round.room_candidates) {
    DF_ASSIGN_OR_RETURN(std::string busy, keys::Busy(org, "room", room));
    DF_ASSIGN_OR_RETURN(std::string listing, keys::Appointments(org, "room", room));
    call.Arg(room).Key(busy).Key(listing);
  }
  DF_ASSIGN_OR_RETURN(std::string index,
                      keys::WaitlistIndex(org, round.clinic_id, round.protocol_id));
  call.Key(stream).Arg(publisher_.options().max_len).Key(all).Key(index);
  call.Arg(static_cast<int64_t>(round.offers.size()));
  for (const HoldRound::Offer& o : round.offers) {
    DF_ASSIGN_OR_RETURN(std::string entry, keys::WaitlistEntry(org, o.offer.entry_id()));
    DF_ASSIGN_OR_RETURN(std::string offer, keys::WaitlistOffer(org, o.offer.id()));
    DF_ASSIGN_OR_RETURN(std::string by_entry,
                        keys::WaitlistOffers(org, "entry", o.offer.entry_id()));
    events::v1::Event made = o.made;
    DF_ASSIGN_OR_RETURN(std::string bytes, common::SealEvent(made, clock_));
    call.Key(entry).Key(offer).Arg(o.offer.id()).Arg(o.offer.entry_id());
    call.Arg(o.offer.SerializeAsString()).Arg(std::move(bytes)).Key(by_entry).Key(by_slot);
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply, call.Run(redis_, HoldScript()));
  HoldOutcome out;
  const auto& e = reply.elements();
  if (e.empty()) return absl::InternalError("unexpected waitlist_hold reply");
  const std::string& kind = e[0].str();
  if (kind == "STALE") return out;
  if (kind == "BUSY" || kind == "NONE") {
    out.kind = kind == "BUSY" ? HoldOutcome::kBusy : HoldOutcome::kNone;
    return out;
  }
  out.kind = HoldOutcome::kHeld;
  out.room_id = e.size() > 1 ? e[1].str() : "";
  for (size_t i = 2; i < e.size(); ++i) out.offer_ids.push_back(e[i].str());
  return out;
}

absl::StatusOr<std::optional<std::vector<std::string>>> RedisWaitlistStore::Release(
    const std::string& org, const SlotRecord& s, absl::Time now) {
  DF_ASSIGN_OR_RETURN(std::string slot, keys::WaitlistSlot(org, s.slot.slot_id));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  DF_ASSIGN_OR_RETURN(std::string practitioner,
                      keys::Busy(org, "practitioner", s.slot.practitioner_id));
  DF_ASSIGN_OR_RETURN(std::string room, keys::Busy(org, "room", s.room_id));
  DF_ASSIGN_OR_RETURN(std::string index,
                      keys::WaitlistIndex(org, s.slot.clinic_id, s.slot.protocol_id));
  std::vector<std::vector<std::string>> reads;
  std::vector<std::string> offer_keys;
  for (const std::string& id : s.offer_ids) {
    DF_ASSIGN_OR_RETURN(std::string key, keys::WaitlistOffer(org, id));
    reads.push_back({"HGET", key, "entry"});
    offer_keys.push_back(std::move(key));
  }
  std::vector<RedisReply> entries;
  if (!reads.empty()) {
    DF_ASSIGN_OR_RETURN(entries, redis_.Pipeline(reads));
  }
  ScriptCall call;
  call.Key(slot).Arg(s.round).Arg(Unix(now)).Key(due).Arg(s.slot.slot_id);
  call.Arg(HoldIdFor(s.slot.slot_id)).Arg(Unix(s.slot.start)).Arg(Unix(s.occupied_until));
  call.Key(practitioner).Key(room).Key(index).Arg(static_cast<int64_t>(s.offer_ids.size()));
  for (size_t i = 0; i < s.offer_ids.size(); ++i) {
    DF_ASSIGN_OR_RETURN(std::string entry, keys::WaitlistEntry(org, entries[i].str()));
    call.Key(offer_keys[i]).Arg(s.offer_ids[i]).Key(entry).Arg(entries[i].str());
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply, call.Run(redis_, ReleaseScript()));
  const auto& e = reply.elements();
  if (e.empty() || e[0].str() != "RELEASED") return std::nullopt;
  std::vector<std::string> expired;
  for (size_t i = 1; i < e.size(); ++i) expired.push_back(e[i].str());
  return expired;
}

absl::Status RedisWaitlistStore::Close(const std::string& org, const std::string& slot_id) {
  DF_ASSIGN_OR_RETURN(std::string slot, keys::WaitlistSlot(org, slot_id));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  ScriptCall call;
  call.HSet(slot, {"state", "CLOSED"}).ZRem(due, slot_id);
  return call.Run(redis_, CommitScript()).status();
}

absl::StatusOr<std::vector<std::string>> RedisWaitlistStore::Organizations() {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"SMEMBERS", common::OrganizationsKey()}));
  std::vector<std::string> orgs;
  for (const RedisReply& org : reply.elements()) orgs.push_back(org.str());
  return orgs;
}

absl::StatusOr<std::vector<std::string>> RedisWaitlistStore::DueSlots(const std::string& org,
                                                                      absl::Time now,
                                                                      int64_t limit) {
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"ZRANGEBYSCORE", due, "-inf", absl::StrCat(Unix(now)),
                                      "LIMIT", "0", absl::StrCat(limit)}));
  std::vector<std::string> ids;
  for (const RedisReply& id : reply.elements()) ids.push_back(id.str());
  return ids;
}

absl::StatusOr<v1::WaitlistOffer> RedisWaitlistStore::GetOffer(const std::string& org,
                                                               const std::string& id) {
  absl::StatusOr<std::string> key = keys::WaitlistOffer(org, id);
  if (!key.ok()) return common::NotFoundError(kErrorDomain, kWaitlistOfferType, id);
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"HMGET", *key, "pb", "state", "room", "appointment"}));
  const auto& f = reply.elements();
  if (f.size() != 4 || f[0].is_nil()) {
    return common::NotFoundError(kErrorDomain, kWaitlistOfferType, id);
  }
  DF_ASSIGN_OR_RETURN(v1::WaitlistOffer offer, ParseReply<v1::WaitlistOffer>(f[0]));
  offer.set_state(OfferStateOf(f[1].str()));
  offer.set_room_id(f[2].str());
  if (!f[3].is_nil()) offer.set_appointment_id(f[3].str());
  return offer;
}

absl::StatusOr<std::vector<std::string>> RedisWaitlistStore::ListOfferIds(
    const std::string& org, const std::string& entry_id, const std::string& slot_id, int64_t offset,
    int64_t count) {
  absl::StatusOr<std::string> key = !entry_id.empty() ? keys::WaitlistOffers(org, "entry", entry_id)
                                    : !slot_id.empty() ? keys::WaitlistOffers(org, "slot", slot_id)
                                                       : keys::WaitlistOffers(org, "all", "-");
  if (!key.ok()) return std::vector<std::string>();
  return ZRange(redis_, *key, true, offset, count);
}

absl::Status RedisWaitlistStore::Decline(const std::string& org, const v1::WaitlistOffer& offer,
                                         const std::vector<std::string>& sibling_ids,
                                         absl::Time now) {
  DF_ASSIGN_OR_RETURN(std::string offer_key, keys::WaitlistOffer(org, offer.id()));
  DF_ASSIGN_OR_RETURN(std::string entry, keys::WaitlistEntry(org, offer.entry_id()));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  DF_ASSIGN_OR_RETURN(std::string index,
                      keys::WaitlistIndex(org, offer.clinic_id(), offer.protocol_id()));
  ScriptCall call;
  call.Key(offer_key).Arg(offer.id()).Key(entry).Arg(offer.entry_id()).Key(index).Key(due);
  call.Arg(offer.slot_id()).Arg(Unix(now));
  call.Arg(static_cast<int64_t>(sibling_ids.size()));
  for (const std::string& id : sibling_ids) {
    DF_ASSIGN_OR_RETURN(std::string key, keys::WaitlistOffer(org, id));
    call.Key(key);
  }
  absl::StatusOr<RedisReply> reply = call.Run(redis_, WaitlistDeclineScript());
  if (reply.ok()) return absl::OkStatus();
  if (common::IsRedisError(reply.status(), "STATE ")) {
    const std::string text(reply.status().message());
    return OfferClosedError(absl::StrCat("OFFER_", text.substr(text.find(' ') + 1)), offer.id());
  }
  if (common::IsRedisError(reply.status(), "NOT_FOUND")) {
    return common::NotFoundError(kErrorDomain, kWaitlistOfferType, offer.id());
  }
  return reply.status();
}

}  // namespace dermaflow::scheduling
