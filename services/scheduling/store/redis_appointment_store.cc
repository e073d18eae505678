#include "services/scheduling/store/redis_appointment_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/request_id.h"
#include "common/events/event_stream.h"
#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/confirmation_rules.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"
#include "services/scheduling/lua/book_appointment_lua.h"
#include "services/scheduling/lua/calendar_lua.h"
#include "services/scheduling/lua/commit_lua.h"
#include "services/scheduling/lua/reschedule_appointment_lua.h"
#include "services/scheduling/store/redis_codec.h"
#include "services/scheduling/store/scheduling_keys.h"

namespace dermaflow::scheduling {
namespace {

using common::RedisReply;

constexpr int64_t kRequestTtlSeconds = int64_t{48} * 3600;
// The longest busy interval (an 8 h session + a 60 min buffer), as in
// lua/calendar.lua: calendar reads look back this far for overlaps.
constexpr absl::Duration kMaxBusySpan = absl::Hours(9);

// calendar.lua's helpers followed by the script's body.
const common::LuaScript& WithCalendar(const char* name, const common::LuaScript& body) {
  return *new common::LuaScript(name, absl::StrCat(CalendarScript().source(), "\n", body.source()));
}
const common::LuaScript& BookScript() {
  static const common::LuaScript& script =
      WithCalendar("book_appointment", BookAppointmentScript());
  return script;
}
const common::LuaScript& RescheduleScript() {
  static const common::LuaScript& script =
      WithCalendar("reschedule_appointment", RescheduleAppointmentScript());
  return script;
}

int64_t Unix(absl::Time t) { return absl::ToUnixSeconds(t); }
int64_t Unix(const google::protobuf::Timestamp& ts) { return ts.seconds(); }

std::string BusyMember(const std::string& id, int64_t end) { return absl::StrCat(id, "|", end); }

// The appointment's score in the confirmation index, "" for none.
std::string ConfirmationScore(const v1::Appointment& a) {
  const std::optional<absl::Time> check = NextConfirmationCheck(a);
  return check ? absl::StrCat(Unix(*check)) : "";
}

absl::string_view OwnerName(CalendarOwner owner) {
  switch (owner) {
    case CalendarOwner::kPractitioner:
      return "practitioner";
    case CalendarOwner::kRoom:
      return "room";
    case CalendarOwner::kPatient:
      return "patient";
  }
  return "";
}

absl::string_view ListingName(AppointmentListing listing) {
  switch (listing) {
    case AppointmentListing::kClinic:
      return "clinic";
    case AppointmentListing::kPractitioner:
      return "practitioner";
    case AppointmentListing::kRoom:
      return "room";
    case AppointmentListing::kPatient:
      return "patient";
  }
  return "";
}

std::string ScoreOrInfinity(absl::Time t, bool exclusive) {
  if (t == absl::InfinitePast()) return "-inf";
  if (t == absl::InfiniteFuture()) return "+inf";
  return absl::StrCat(exclusive ? "(" : "", Unix(t));
}

// The keys one appointment touches.
struct AppointmentKeys {
  std::string appointment, practitioner_busy, room_busy, patient_busy;
  std::string clinic_listing, practitioner_listing, room_listing, patient_listing;
};

absl::StatusOr<AppointmentKeys> KeysOf(const std::string& org, const v1::Appointment& a) {
  AppointmentKeys k;
  DF_ASSIGN_OR_RETURN(k.appointment, keys::Appointment(org, a.id()));
  DF_ASSIGN_OR_RETURN(k.practitioner_busy, keys::Busy(org, "practitioner", a.practitioner_id()));
  DF_ASSIGN_OR_RETURN(k.patient_busy, keys::Busy(org, "patient", a.patient_id()));
  DF_ASSIGN_OR_RETURN(k.clinic_listing, keys::Appointments(org, "clinic", a.clinic_id()));
  DF_ASSIGN_OR_RETURN(k.practitioner_listing,
                      keys::Appointments(org, "practitioner", a.practitioner_id()));
  DF_ASSIGN_OR_RETURN(k.patient_listing, keys::Appointments(org, "patient", a.patient_id()));
  if (!a.room_id().empty()) {
    DF_ASSIGN_OR_RETURN(k.room_busy, keys::Busy(org, "room", a.room_id()));
    DF_ASSIGN_OR_RETURN(k.room_listing, keys::Appointments(org, "room", a.room_id()));
  }
  return k;
}

absl::Status AddRooms(const std::string& org, const std::vector<std::string>& rooms,
                      ScriptCall& call) {
  call.Arg(static_cast<int64_t>(rooms.size()));
  for (const std::string& room : rooms) {
    DF_ASSIGN_OR_RETURN(std::string busy, keys::Busy(org, "room", room));
    DF_ASSIGN_OR_RETURN(std::string listing, keys::Appointments(org, "room", room));
    call.Arg(room).Key(busy).Key(listing);
  }
  return absl::OkStatus();
}

// 'CONFLICT <session> <kind> <resource id or -> <appointment> <start>' ->
// ALREADY_EXISTS SLOT_CONFLICT naming the busy resource.
absl::Status ConflictFromReply(absl::string_view reply,
                               const std::vector<const v1::Appointment*>& sessions) {
  std::vector<std::string> f = absl::StrSplit(reply, ' ');
  int session = 1;
  int64_t start = 0;
  if (f.size() != 6 || !absl::SimpleAtoi(f[1], &session) || !absl::SimpleAtoi(f[5], &start) ||
      session < 1 || session > static_cast<int>(sessions.size())) {
    return absl::InternalError(absl::StrCat("unexpected script reply: ", reply));
  }
  const v1::Appointment& a = *sessions[session - 1];
  std::string id = f[3];
  if (f[2] == "practitioner") id = a.practitioner_id();
  if (f[2] == "patient") id = a.patient_id();
  if (id == "-") id.clear();  // no room of the clinic is free
  return SlotConflictError({session, f[2], id, ToTime(a.start_time()), f[4],
                            absl::FromUnixSeconds(start), a.time_zone()});
}

absl::StatusOr<AppointmentRecord> ParseRecord(const RedisReply& pb, const RedisReply& occupied) {
  AppointmentRecord record;
  DF_ASSIGN_OR_RETURN(record.appointment, ParseReply<v1::Appointment>(pb));
  DF_ASSIGN_OR_RETURN(int64_t until, occupied.AsInt());
  record.occupied_until = absl::FromUnixSeconds(until);
  return record;
}

}  // namespace

RedisAppointmentStore::RedisAppointmentStore(common::RedisClient& redis, const common::Clock& clock,
                                             common::EventStreamOptions stream_options)
    : redis_(redis), clock_(clock), publisher_(redis, clock, stream_options) {}

absl::Status RedisAppointmentStore::EnsureRegistered(const std::string& org) {
  {
    absl::MutexLock lock(&mu_);
    if (registered_.count(org) > 0) return absl::OkStatus();
  }
  DF_RETURN_IF_ERROR(publisher_.RegisterOrganization(org));
  absl::MutexLock lock(&mu_);
  registered_.insert(org);
  return absl::OkStatus();
}

absl::Status RedisAppointmentStore::AddEvents(std::vector<events::v1::Event> events,
                                              ScriptCall& call) {
  call.Arg(static_cast<int64_t>(events.size()));
  for (events::v1::Event& event : events) {
    DF_ASSIGN_OR_RETURN(std::string bytes, common::SealEvent(event, clock_));
    call.Arg(std::move(bytes));
  }
  return absl::OkStatus();
}

absl::Status RedisAppointmentStore::AddOfferAcceptance(const std::string& org,
                                                       const NewBooking& booking,
                                                       ScriptCall& call) {
  if (!booking.offer) {
    call.Arg("0");
    return absl::OkStatus();
  }
  const OfferAcceptance& o = *booking.offer;
  DF_ASSIGN_OR_RETURN(std::string slot, keys::WaitlistSlot(org, o.slot_id));
  DF_ASSIGN_OR_RETURN(std::string offer, keys::WaitlistOffer(org, o.offer_id));
  DF_ASSIGN_OR_RETURN(std::string entry, keys::WaitlistEntry(org, o.entry_id));
  DF_ASSIGN_OR_RETURN(std::string due, keys::WaitlistDue(org));
  DF_ASSIGN_OR_RETURN(std::string index, keys::WaitlistIndex(org, o.clinic_id, o.protocol_id));
  call.Arg("1").Key(slot).Key(offer).Key(entry).Arg(o.offer_id).Arg(Unix(o.now)).Key(due);
  call.Arg(o.slot_id).Arg(o.hold_id).Arg(Unix(o.hold_occupied_until)).Key(index).Arg(o.entry_id);
  call.Arg(static_cast<int64_t>(o.siblings.size()));
  for (const OfferAcceptance::Sibling& sibling : o.siblings) {
    DF_ASSIGN_OR_RETURN(std::string sibling_offer, keys::WaitlistOffer(org, sibling.offer_id));
    DF_ASSIGN_OR_RETURN(std::string sibling_entry, keys::WaitlistEntry(org, sibling.entry_id));
    events::v1::Event taken = sibling.taken;
    DF_ASSIGN_OR_RETURN(std::string bytes, common::SealEvent(taken, clock_));
    call.Key(sibling_offer).Arg(sibling.offer_id).Key(sibling_entry).Arg(sibling.entry_id);
    call.Arg(std::move(bytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<BookingResult> RedisAppointmentStore::Book(const std::string& org,
                                                          const NewBooking& booking) {
  DF_RETURN_IF_ERROR(EnsureRegistered(org));
  DF_ASSIGN_OR_RETURN(std::string request_key, keys::Request(org, booking.rpc, booking.request_id));
  DF_ASSIGN_OR_RETURN(std::string stream, common::StreamKey(org));
  ScriptCall call;
  call.Key(request_key).Arg(booking.fingerprint).Arg(kRequestTtlSeconds).Arg(booking.result_id);
  DF_ASSIGN_OR_RETURN(std::string confirmations, keys::ConfirmationChecks(org));
  call.Key(stream).Arg(publisher_.options().max_len).Key(confirmations);
  DF_RETURN_IF_ERROR(AddOfferAcceptance(org, booking, call));
  if (booking.course) {
    const v1::Course& course = *booking.course;
    DF_ASSIGN_OR_RETURN(std::string course_key, keys::Course(org, course.id()));
    call.Arg("1").Key(course_key).Arg(booking.course_expected_etag);
    call.Arg(course.SerializeAsString()).Arg(course.etag());
    if (booking.course_expected_etag.empty()) {  // a new course joins its listings
      DF_ASSIGN_OR_RETURN(std::string by_patient,
                          keys::Courses(org, "patient", course.patient_id()));
      DF_ASSIGN_OR_RETURN(std::string by_clinic, keys::Courses(org, "clinic", course.clinic_id()));
      const int64_t score = absl::ToUnixMillis(ToTime(course.create_time()));
      call.Arg(2).Key(by_patient).Arg(score).Key(by_clinic).Arg(score);
    } else {
      call.Arg(0);
    }
  } else {
    call.Arg("0");
  }
  std::vector<const v1::Appointment*> sessions;
  call.Arg(static_cast<int64_t>(booking.sessions.size()));
  for (const SessionToBook& s : booking.sessions) {
    const v1::Appointment& a = s.appointment;
    sessions.push_back(&a);
    if (s.occupied_until - ToTime(a.start_time()) > kMaxBusySpan) {
      return absl::InternalError("session and buffer exceed the longest busy interval");
    }
    DF_ASSIGN_OR_RETURN(AppointmentKeys k, KeysOf(org, a));
    call.Key(k.appointment).Arg(a.id()).Arg(a.SerializeAsString()).Arg(a.etag());
    call.Arg(Unix(a.start_time())).Arg(Unix(a.end_time())).Arg(Unix(s.occupied_until));
    call.Key(k.practitioner_busy).Key(k.patient_busy);
    DF_RETURN_IF_ERROR(AddRooms(org, s.room_candidates, call));
    call.Arg(3).Key(k.clinic_listing).Key(k.practitioner_listing).Key(k.patient_listing);
    call.Arg(ConfirmationScore(a));
  }
  DF_RETURN_IF_ERROR(AddEvents(booking.events, call));

  absl::StatusOr<RedisReply> reply = call.Run(redis_, BookScript());
  if (!reply.ok()) {
    if (common::IsRedisError(reply.status(), "CONFLICT ")) {
      return ConflictFromReply(reply.status().message(), sessions);
    }
    if (common::IsRedisError(reply.status(), "REQUEST_MISMATCH"))
      return common::RequestIdReusedError();
    if (common::IsRedisError(reply.status(), "OFFER_") && booking.offer) {
      const std::string text(reply.status().message());
      return OfferClosedError(text.substr(0, text.find(' ')), booking.offer->offer_id);
    }
    if (common::IsRedisError(reply.status(), "ETAG_MISMATCH")) {
      return common::ConcurrentModificationError(kErrorDomain, kCourseType,
                                                 booking.course ? booking.course->id() : "");
    }
    return reply.status();
  }
  BookingResult result;
  if (IsReplay(*reply)) {
    result.replayed_id = reply->elements()[1].str();
    return result;
  }
  for (size_t i = 1; i < reply->elements().size(); ++i) {
    result.rooms.push_back(reply->elements()[i].str());
  }
  return result;
}

absl::StatusOr<std::string> RedisAppointmentStore::Reschedule(const std::string& org,
                                                              const AppointmentMove& move) {
  DF_RETURN_IF_ERROR(EnsureRegistered(org));
  const v1::Appointment& before = move.before.appointment;
  const v1::Appointment& after = move.after;
  DF_ASSIGN_OR_RETURN(AppointmentKeys old_keys, KeysOf(org, before));
  DF_ASSIGN_OR_RETURN(AppointmentKeys new_keys, KeysOf(org, after));
  DF_ASSIGN_OR_RETURN(std::string stream, common::StreamKey(org));
  if (old_keys.room_busy.empty()) return absl::InternalError("a booked appointment without a room");
  ScriptCall call;
  call.Key(new_keys.appointment).Arg(before.etag()).Arg(after.id()).Arg(after.SerializeAsString());
  call.Arg(after.etag()).Arg(Unix(after.start_time())).Arg(Unix(after.end_time()));
  call.Arg(Unix(move.occupied_until));
  call.Key(old_keys.practitioner_busy).Key(old_keys.practitioner_listing);
  call.Key(old_keys.room_busy).Key(old_keys.room_listing).Arg(Unix(move.before.occupied_until));
  call.Key(old_keys.patient_busy).Arg(Unix(before.end_time()));
  call.Key(new_keys.practitioner_busy).Key(new_keys.practitioner_listing);
  DF_RETURN_IF_ERROR(AddRooms(org, move.room_candidates, call));
  call.Arg(2).Key(new_keys.clinic_listing).Key(new_keys.patient_listing);
  DF_ASSIGN_OR_RETURN(std::string confirmations, keys::ConfirmationChecks(org));
  call.Key(stream).Arg(publisher_.options().max_len);
  call.Key(confirmations).Arg(ConfirmationScore(after));
  DF_RETURN_IF_ERROR(AddEvents(move.events, call));

  absl::StatusOr<RedisReply> reply = call.Run(redis_, RescheduleScript());
  if (!reply.ok()) {
    if (common::IsRedisError(reply.status(), "CONFLICT ")) {
      return ConflictFromReply(reply.status().message(), {&after});
    }
    if (common::IsRedisError(reply.status(), "NOT_FOUND")) {
      return common::NotFoundError(kErrorDomain, kAppointmentType, after.id());
    }
    if (common::IsRedisError(reply.status(), "ETAG_MISMATCH")) {
      return common::ConcurrentModificationError(kErrorDomain, kAppointmentType, after.id());
    }
    return reply.status();
  }
  if (!reply->is_array() || reply->elements().size() != 2) {
    return absl::InternalError("unexpected reschedule reply");
  }
  return reply->elements()[1].str();
}

absl::Status RedisAppointmentStore::Commit(const std::string& org, const Change& change) {
  DF_RETURN_IF_ERROR(EnsureRegistered(org));
  DF_ASSIGN_OR_RETURN(std::string stream, common::StreamKey(org));
  DF_ASSIGN_OR_RETURN(std::string confirmations, keys::ConfirmationChecks(org));
  std::vector<AppointmentKeys> appointment_keys;
  ScriptCall call;
  for (const Change::Appointment& c : change.appointments) {
    DF_ASSIGN_OR_RETURN(AppointmentKeys k, KeysOf(org, c.before.appointment));
    call.Cas(k.appointment, c.before.appointment.etag(),
             absl::StrCat("appointment ", c.before.appointment.id()));
    appointment_keys.push_back(std::move(k));
  }
  std::string course_key;
  if (change.course) {
    DF_ASSIGN_OR_RETURN(course_key, keys::Course(org, change.course->after.id()));
    call.Cas(course_key, change.course->expected_etag,
             absl::StrCat("course ", change.course->after.id()));
  }
  for (size_t i = 0; i < change.appointments.size(); ++i) {
    const Change::Appointment& c = change.appointments[i];
    const AppointmentKeys& k = appointment_keys[i];
    const std::string& id = c.after.id();
    const int64_t occupied = Unix(c.before.occupied_until);
    call.HSet(k.appointment, {"pb", c.after.SerializeAsString(), "etag", c.after.etag(), "occupied",
                              absl::StrCat(occupied)});
    if (HoldsSlot(c.before.appointment.state()) && !HoldsSlot(c.after.state())) {
      call.ZRem(k.practitioner_busy, BusyMember(id, occupied));
      if (!k.room_busy.empty()) call.ZRem(k.room_busy, BusyMember(id, occupied));
      call.ZRem(k.patient_busy, BusyMember(id, Unix(c.before.appointment.end_time())));
    }
    if (const std::optional<absl::Time> check = NextConfirmationCheck(c.after)) {
      call.ZAdd(confirmations, Unix(*check), id);
    } else {
      call.ZRem(confirmations, id);
    }
  }
  if (change.course) {
    call.HSet(course_key, {"pb", change.course->after.SerializeAsString(), "etag",
                           change.course->after.etag()});
  }
  std::vector<events::v1::Event> events = change.events;
  for (events::v1::Event& event : events) {
    DF_ASSIGN_OR_RETURN(std::string bytes, common::SealEvent(event, clock_));
    call.XAdd(stream, publisher_.options().max_len, bytes);
  }
  absl::StatusOr<RedisReply> reply = call.Run(redis_, CommitScript());
  if (reply.ok()) return absl::OkStatus();
  for (const char* prefix : {"ETAG_MISMATCH ", "NOT_FOUND "}) {
    if (common::IsRedisError(reply.status(), prefix)) {
      // "<prefix><kind> <id>"
      std::vector<std::string> f = absl::StrSplit(reply.status().message(), ' ');
      const std::string type = f.size() > 1 && f[1] == "course" ? kCourseType : kAppointmentType;
      return common::ConcurrentModificationError(kErrorDomain, type, f.size() > 2 ? f[2] : "");
    }
  }
  return reply.status();
}

absl::StatusOr<std::optional<std::string>> RedisAppointmentStore::FindRequest(
    const std::string& org, const std::string& rpc, const std::string& request_id,
    const std::string& fingerprint) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::Request(org, rpc, request_id));
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"GET", key}));
  if (reply.is_nil()) return std::nullopt;
  const std::string& value = reply.str();
  const size_t sep = value.find('\n');
  if (sep == std::string::npos) return absl::InternalError("malformed request record");
  if (value.substr(0, sep) != fingerprint) return common::RequestIdReusedError();
  // A replay answers for a write an earlier attempt made, maybe not yet on
  // the replicas (its answer may have been that UNAVAILABLE).
  DF_RETURN_IF_ERROR(redis_.ConfirmReplicated(key));
  return value.substr(sep + 1);
}

absl::StatusOr<AppointmentRecord> RedisAppointmentStore::GetAppointment(const std::string& org,
                                                                        const std::string& id) {
  DF_ASSIGN_OR_RETURN(std::vector<AppointmentRecord> records, GetAppointments(org, {id}));
  return std::move(records[0]);
}

absl::StatusOr<std::vector<AppointmentRecord>> RedisAppointmentStore::GetAppointments(
    const std::string& org, const std::vector<std::string>& ids) {
  std::vector<AppointmentRecord> records;
  if (ids.empty()) return records;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : ids) {
    absl::StatusOr<std::string> key = keys::Appointment(org, id);
    if (!key.ok()) return common::NotFoundError(kErrorDomain, kAppointmentType, id);
    commands.push_back({"HMGET", *key, "pb", "occupied"});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (size_t i = 0; i < replies.size(); ++i) {
    DF_RETURN_IF_ERROR(replies[i].ToStatus());
    const auto& fields = replies[i].elements();
    if (fields.size() != 2 || fields[0].is_nil()) {
      return common::NotFoundError(kErrorDomain, kAppointmentType, ids[i]);
    }
    DF_ASSIGN_OR_RETURN(AppointmentRecord record, ParseRecord(fields[0], fields[1]));
    records.push_back(std::move(record));
  }
  return records;
}

absl::StatusOr<std::vector<std::vector<Interval>>> RedisAppointmentStore::BusyIntervals(
    const std::string& org, const std::vector<std::pair<CalendarOwner, std::string>>& owners,
    const Interval& window) {
  std::vector<std::vector<Interval>> out(owners.size());
  if (owners.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  for (const auto& [owner, id] : owners) {
    DF_ASSIGN_OR_RETURN(std::string key, keys::Busy(org, OwnerName(owner), id));
    commands.push_back({"ZRANGEBYSCORE", key, absl::StrCat(Unix(window.start - kMaxBusySpan)),
                        absl::StrCat("(", Unix(window.end)), "WITHSCORES"});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (size_t i = 0; i < replies.size(); ++i) {
    DF_RETURN_IF_ERROR(replies[i].ToStatus());
    const auto& items = replies[i].elements();
    for (size_t j = 0; j + 1 < items.size(); j += 2) {
      const std::string& member = items[j].str();
      const size_t sep = member.rfind('|');
      int64_t end = 0;
      double start = 0;
      if (sep == std::string::npos || !absl::SimpleAtoi(member.substr(sep + 1), &end) ||
          !absl::SimpleAtod(items[j + 1].str(), &start)) {
        return absl::InternalError(absl::StrCat("malformed calendar entry ", member));
      }
      Interval busy{absl::FromUnixSeconds(static_cast<int64_t>(start)), absl::FromUnixSeconds(end)};
      if (busy.Overlaps(window)) out[i].push_back(busy);
    }
  }
  return out;
}

absl::StatusOr<std::vector<ListedAppointment>> RedisAppointmentStore::ListAppointmentIds(
    const std::string& org, AppointmentListing listing, const std::string& owner_id,
    absl::Time from, absl::Time to) {
  std::vector<ListedAppointment> out;
  absl::StatusOr<std::string> key = keys::Appointments(org, ListingName(listing), owner_id);
  if (!key.ok()) return out;  // no such owner has appointments
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"ZRANGEBYSCORE", *key, ScoreOrInfinity(from, false),
                                      ScoreOrInfinity(to, true), "WITHSCORES"}));
  const auto& items = reply.elements();
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    double start = 0;
    if (!absl::SimpleAtod(items[i + 1].str(), &start)) {
      return absl::InternalError("malformed appointment listing");
    }
    out.push_back({items[i].str(), absl::FromUnixSeconds(static_cast<int64_t>(start))});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisAppointmentStore::DueConfirmationChecks(
    const std::string& org, absl::Time until, int limit) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::ConfirmationChecks(org));
  DF_ASSIGN_OR_RETURN(RedisReply reply,
                      redis_.Command({"ZRANGEBYSCORE", key, "-inf", absl::StrCat(Unix(until)),
                                      "LIMIT", "0", absl::StrCat(limit)}));
  std::vector<std::string> ids;
  for (const RedisReply& id : reply.elements()) ids.push_back(id.str());
  return ids;
}

absl::Status RedisAppointmentStore::DropConfirmationCheck(const std::string& org,
                                                          const std::string& id) {
  DF_ASSIGN_OR_RETURN(std::string key, keys::ConfirmationChecks(org));
  return redis_.Command({"ZREM", key, id}).status();
}

absl::StatusOr<std::vector<std::string>> RedisAppointmentStore::ListOrganizations() {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"SMEMBERS", common::OrganizationsKey()}));
  std::vector<std::string> orgs;
  for (const RedisReply& org : reply.elements()) orgs.push_back(org.str());
  return orgs;
}

absl::StatusOr<v1::Course> RedisAppointmentStore::GetCourse(const std::string& org,
                                                            const std::string& id) {
  absl::StatusOr<std::string> key = keys::Course(org, id);
  if (!key.ok()) return common::NotFoundError(kErrorDomain, kCourseType, id);
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"HGET", *key, "pb"}));
  if (reply.is_nil()) return common::NotFoundError(kErrorDomain, kCourseType, id);
  return ParseReply<v1::Course>(reply);
}

absl::StatusOr<std::vector<std::string>> RedisAppointmentStore::ListCourseIds(
    const std::string& org, CourseListing listing, const std::string& owner_id) {
  absl::StatusOr<std::string> key =
      keys::Courses(org, listing == CourseListing::kPatient ? "patient" : "clinic", owner_id);
  if (!key.ok()) return std::vector<std::string>();
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"ZREVRANGE", *key, "0", "-1"}));
  std::vector<std::string> ids;
  for (const RedisReply& id : reply.elements()) ids.push_back(id.str());
  return ids;
}

}  // namespace dermaflow::scheduling
