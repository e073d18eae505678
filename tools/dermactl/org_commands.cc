// dermactl clinics|practitioners|rooms create|list|show.
#include <map>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

// Weekly hours as "mon-fri 09:00-19:00; sat 10:00-14:00": consecutive days
// with the same ranges are merged.
struct DayRange {
  int day;  // 1 = Monday
  std::string range;
};
std::string FormatWeek(const std::vector<DayRange>& ranges) {
  static constexpr const char* kDays[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::map<int, std::vector<std::string>> by_day;
  for (const auto& r : ranges) by_day[r.day].push_back(r.range);
  std::vector<std::string> out;
  for (auto it = by_day.begin(); it != by_day.end();) {
    auto end = std::next(it);
    int last = it->first;
    while (end != by_day.end() && end->first == last + 1 && end->second == it->second) {
      last = end->first;
      ++end;
    }
    std::string days = kDays[it->first];
    if (last != it->first) absl::StrAppend(&days, "-", kDays[last]);
    out.push_back(absl::StrCat(days, " ", absl::StrJoin(it->second, ",")));
    it = end;
  }
  return absl::StrJoin(out, "; ");
}

std::string Range(const google::type::TimeOfDay& a, const google::type::TimeOfDay& b) {
  return FormatTimeOfDay(a) + "-" + FormatTimeOfDay(b);
}

std::string OpeningHours(const sv1::Clinic& c) {
  std::vector<DayRange> ranges;
  for (const auto& h : c.opening_hours())
    ranges.push_back({h.day_of_week(), Range(h.open(), h.close())});
  return FormatWeek(ranges);
}

std::string WorkingHours(const sv1::Practitioner& p) {
  std::map<std::string, std::vector<DayRange>> by_clinic;
  for (const auto& h : p.working_hours()) {
    by_clinic[h.clinic_id()].push_back({h.day_of_week(), Range(h.start(), h.end())});
  }
  std::vector<std::string> out;
  out.reserve(by_clinic.size());
  for (const auto& [clinic, ranges] : by_clinic)
    out.push_back("@" + clinic + " " + FormatWeek(ranges));
  return absl::StrJoin(out, "\n");
}

// --- clinics ---------------------------------------------------------------

absl::Status CreateClinic(Context& ctx, const Args& args) {
  sv1::CreateClinicRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  sv1::Clinic* c = req.mutable_clinic();
  c->set_display_name(args.Get("name"));
  c->set_time_zone(args.Get("time_zone"));
  c->set_contact_phone(args.Get("phone"));
  c->set_contact_email(args.Get("email"));
  for (absl::string_view line : absl::StrSplit(args.Get("address"), '|', absl::SkipWhitespace())) {
    c->mutable_address()->add_lines(std::string(line));
  }
  if (args.Has("postal_code")) c->mutable_address()->set_postal_code(args.Get("postal_code"));
  if (args.Has("city")) c->mutable_address()->set_city(args.Get("city"));
  if (args.Has("country")) c->mutable_address()->set_country_code(args.Get("country"));
  if (args.Has("hours")) {
    DF_ASSIGN_OR_RETURN(auto hours, ParseHours(args.Get("hours"), "hours"));
    for (const auto& h : hours) {
      auto* o = c->add_opening_hours();
      o->set_day_of_week(h.day);
      *o->mutable_open() = h.open;
      *o->mutable_close() = h.close;
    }
  }
  for (const std::string& day : SplitList(args.Get("closed"))) {
    DF_ASSIGN_OR_RETURN(absl::CivilDay d, ParseDay(day, "closed"));
    *c->add_closed_days() = ToDate(d);
  }
  if (args.Has("buffer")) {
    DF_ASSIGN_OR_RETURN(absl::Duration d, ParseDuration(args.Get("buffer"), "buffer"));
    *c->mutable_buffer() = ToDuration(d);
  }
  if (args.Has("slot_interval")) {
    DF_ASSIGN_OR_RETURN(absl::Duration d,
                        ParseDuration(args.Get("slot_interval"), "slot_interval"));
    *c->mutable_slot_interval() = ToDuration(d);
  }
  sv1::ConfirmationPolicy* confirm = c->mutable_confirmation_policy();
  confirm->set_disabled(args.Switch("no_confirmations"));
  if (args.Has("confirm_lead")) {
    DF_ASSIGN_OR_RETURN(absl::Duration d, ParseDuration(args.Get("confirm_lead"), "confirm_lead"));
    *confirm->mutable_request_lead() = ToDuration(d);
  }
  if (args.Has("confirm_within")) {
    DF_ASSIGN_OR_RETURN(absl::Duration d,
                        ParseDuration(args.Get("confirm_within"), "confirm_within"));
    *confirm->mutable_answer_within() = ToDuration(d);
  }
  sv1::Clinic created;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* call) {
    return ctx.scheduling().CreateClinic(call, req, &created);
  }));
  if (ctx.structured()) return ctx.PrintMessage(created);
  ctx.out() << created.id() << "\n";
  return absl::OkStatus();
}

// "48h before, 24h to answer" (the defaults when unset) or "off".
std::string Confirmations(const sv1::ConfirmationPolicy& p) {
  if (p.disabled()) return "off";
  return absl::StrCat(p.has_request_lead() ? FormatDuration(p.request_lead()) : "48h", " before, ",
                      p.has_answer_within() ? FormatDuration(p.answer_within()) : "24h",
                      " to answer");
}

void PrintClinic(Context& ctx, const sv1::Clinic& c) {
  std::vector<std::string> closed;
  for (const auto& d : c.closed_days()) closed.push_back(FormatDate(d));
  std::vector<std::string> address(c.address().lines().begin(), c.address().lines().end());
  std::string city = absl::StrCat(c.address().postal_code(),
                                  c.address().postal_code().empty() ? "" : " ", c.address().city());
  if (!city.empty()) address.push_back(city);
  if (!c.address().country_code().empty()) address.push_back(c.address().country_code());
  Fields()
      .Add("id", c.id())
      .Add("name", c.display_name())
      .Add("time zone", c.time_zone())
      .Add("address", absl::StrJoin(address, ", "))
      .Add("phone", c.contact_phone())
      .Add("email", c.contact_email())
      .Add("opening hours", OpeningHours(c))
      .Add("closed days", absl::StrJoin(closed, ", "))
      .Add("buffer", c.has_buffer() ? FormatDuration(c.buffer()) : "")
      .Add("slot interval", c.has_slot_interval() ? FormatDuration(c.slot_interval()) : "15m")
      .Add("confirmations", Confirmations(c.confirmation_policy()))
      .Add("archived", c.archived() ? "yes" : "")
      .Add("etag", c.etag())
      .Print(ctx.out());
}

absl::Status ListClinics(Context& ctx, const Args& args) {
  sv1::ListClinicsRequest req;
  req.set_show_archived(args.Switch("archived"));
  req.set_page_token(args.Get("page_token"));
  sv1::ListClinicsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListClinics(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "NAME", "TIME ZONE", "OPENING HOURS"});
  for (const auto& c : resp.clinics())
    t.Row({c.id(), c.display_name(), c.time_zone(), OpeningHours(c)});
  t.Print(ctx.out(), "no clinics");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status ShowClinic(Context& ctx, const Args& args) {
  sv1::GetClinicRequest req;
  req.set_id(args.arg(0));
  sv1::Clinic c;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* call) {
    return ctx.scheduling().GetClinic(call, req, &c);
  }));
  if (ctx.structured()) return ctx.PrintMessage(c);
  PrintClinic(ctx, c);
  return absl::OkStatus();
}

// --- practitioners -----------------------------------------------------------

absl::Status CreatePractitioner(Context& ctx, const Args& args) {
  sv1::CreatePractitionerRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  sv1::Practitioner* p = req.mutable_practitioner();
  p->set_display_name(args.Get("name"));
  std::vector<std::string> clinics = SplitList(args.Get("clinics"));
  for (const std::string& c : clinics) p->add_clinic_ids(c);
  if (args.Has("hours")) {
    DF_ASSIGN_OR_RETURN(auto hours, ParseHours(args.Get("hours"), "hours"));
    for (const auto& h : hours) {
      auto* w = p->add_working_hours();
      w->set_clinic_id(h.clinic_id.empty() && !clinics.empty() ? clinics[0] : h.clinic_id);
      w->set_day_of_week(h.day);
      *w->mutable_start() = h.open;
      *w->mutable_end() = h.close;
    }
  }
  DF_ASSIGN_OR_RETURN(auto categories,
                      ParseEnumList<prv1::ProtocolCategory>(args.Get("categories"), "categories"));
  for (auto c : categories) p->add_qualified_categories(c);
  p->set_is_physician(args.Switch("physician"));
  p->set_subject(args.Get("subject"));
  sv1::Practitioner created;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* call) {
    return ctx.scheduling().CreatePractitioner(call, req, &created);
  }));
  if (ctx.structured()) return ctx.PrintMessage(created);
  ctx.out() << created.id() << "\n";
  return absl::OkStatus();
}

absl::Status ListPractitioners(Context& ctx, const Args& args) {
  sv1::ListPractitionersRequest req;
  req.set_clinic_id(args.Get("clinic"));
  if (args.Has("category")) {
    DF_ASSIGN_OR_RETURN(auto c,
                        ParseEnum<prv1::ProtocolCategory>(args.Get("category"), "category"));
    req.set_qualified_category(c);
  }
  req.set_show_archived(args.Switch("archived"));
  req.set_page_token(args.Get("page_token"));
  sv1::ListPractitionersResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListPractitioners(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "NAME", "PHYSICIAN", "CLINICS", "QUALIFIED FOR"});
  for (const auto& p : resp.practitioners()) {
    t.Row({p.id(), p.display_name(), p.is_physician() ? "yes" : "no",
           absl::StrJoin(p.clinic_ids(), ","),
           Labels<prv1::ProtocolCategory>(p.qualified_categories())});
  }
  t.Print(ctx.out(), "no practitioners");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status ShowPractitioner(Context& ctx, const Args& args) {
  sv1::GetPractitionerRequest req;
  req.set_id(args.arg(0));
  sv1::Practitioner p;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().GetPractitioner(c, req, &p);
  }));
  if (ctx.structured()) return ctx.PrintMessage(p);
  std::vector<std::string> time_off;
  for (const auto& t : p.time_off()) {
    time_off.push_back(absl::StrCat(FormatTime(t.start_time(), ctx.display_zone()), " - ",
                                    FormatTime(t.end_time(), ctx.display_zone()), " ", t.note()));
  }
  Fields()
      .Add("id", p.id())
      .Add("name", p.display_name())
      .Add("clinics", absl::StrJoin(p.clinic_ids(), ", "))
      .Add("working hours", WorkingHours(p))
      .Add("qualified for", Labels<prv1::ProtocolCategory>(p.qualified_categories()))
      .Add("physician", p.is_physician() ? "yes" : "no")
      .Add("login subject", p.subject())
      .Add("time off", absl::StrJoin(time_off, "\n"))
      .Add("archived", p.archived() ? "yes" : "")
      .Add("etag", p.etag())
      .Print(ctx.out());
  return absl::OkStatus();
}

// --- rooms -----------------------------------------------------------------------

absl::Status CreateRoom(Context& ctx, const Args& args) {
  sv1::CreateRoomRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  req.mutable_room()->set_clinic_id(args.Get("clinic"));
  req.mutable_room()->set_display_name(args.Get("name"));
  DF_ASSIGN_OR_RETURN(auto categories,
                      ParseEnumList<prv1::ProtocolCategory>(args.Get("categories"), "categories"));
  for (auto c : categories) req.mutable_room()->add_categories(c);
  sv1::Room created;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().CreateRoom(c, req, &created);
  }));
  if (ctx.structured()) return ctx.PrintMessage(created);
  ctx.out() << created.id() << "\n";
  return absl::OkStatus();
}

absl::Status ListRooms(Context& ctx, const Args& args) {
  sv1::ListRoomsRequest req;
  req.set_clinic_id(args.Get("clinic"));
  req.set_show_archived(args.Switch("archived"));
  req.set_page_token(args.Get("page_token"));
  sv1::ListRoomsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListRooms(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "CLINIC", "NAME", "EQUIPPED FOR"});
  for (const auto& r : resp.rooms()) {
    std::string categories = Labels<prv1::ProtocolCategory>(r.categories());
    t.Row({r.id(), r.clinic_id(), r.display_name(), categories.empty() ? "any" : categories});
  }
  t.Print(ctx.out(), "no rooms");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status ShowRoom(Context& ctx, const Args& args) {
  sv1::GetRoomRequest req;
  req.set_id(args.arg(0));
  sv1::Room r;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().GetRoom(c, req, &r);
  }));
  if (ctx.structured()) return ctx.PrintMessage(r);
  std::string categories = Labels<prv1::ProtocolCategory>(r.categories());
  Fields()
      .Add("id", r.id())
      .Add("clinic", r.clinic_id())
      .Add("name", r.display_name())
      .Add("equipped for", categories.empty() ? "any treatment" : categories)
      .Add("archived", r.archived() ? "yes" : "")
      .Add("etag", r.etag())
      .Print(ctx.out());
  return absl::OkStatus();
}

Command ListCommand(std::string name, std::string summary,
                    std::function<absl::Status(Context&, const Args&)> run,
                    std::vector<Option> filters) {
  filters.push_back({"archived", "", "include archived ones"});
  filters.push_back({"page_token", "TOKEN", "the next page"});
  return {.name = std::move(name),
          .summary = std::move(summary),
          .options = std::move(filters),
          .run = std::move(run)};
}

Command ShowCommand(std::string name, std::string summary, std::string argument,
                    std::function<absl::Status(Context&, const Args&)> run) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .arguments = std::move(argument),
          .min_args = 1,
          .max_args = 1,
          .run = std::move(run)};
}

}  // namespace

void RegisterOrganizationCommands(CommandSet& commands) {
  commands.Add({
      .name = "clinics create",
      .summary = "Create a clinic location (clinic_admin); prints its id",
      .options = {{"name", "TEXT", "shown to staff and in reminders"},
                  {"time_zone", "ZONE", "IANA zone, e.g. Europe/Berlin (cannot change later)"},
                  {"hours", "HOURS", "opening hours, e.g. 'mon-fri 09:00-19:00; sat 10:00-14:00'"},
                  {"closed", "DATES", "closed days, e.g. 2026-12-24,2026-12-25"},
                  {"phone", "E164", "number patients call, shown in reminders"},
                  {"email", "ADDRESS", "address patients write to"},
                  {"address", "LINES", "street lines, separated by |"},
                  {"postal_code", "CODE", ""},
                  {"city", "CITY", ""},
                  {"country", "CC", "ISO 3166-1 alpha-2, e.g. DE"},
                  {"buffer", "DURATION", "kept free after each appointment, e.g. 10m"},
                  {"slot_interval", "DURATION", "grid of offered start times (default 15m)"},
                  {"confirm_lead", "DURATION",
                   "ask patients to confirm this long before (default 48h)"},
                  {"confirm_within", "DURATION",
                   "then unanswered ones become reception's task (default 24h)"},
                  {"no_confirmations", "", "do not ask patients to confirm"},
                  {"request_id", "UUID", "idempotency key; reuse it when retrying"}},
      .required = {"name", "time_zone"},
      .details = "Example:\n  dermactl clinics create --name='Dermaflow Berlin Mitte' "
                 "--time-zone=Europe/Berlin \\\n    --hours='mon-fri 09:00-19:00; sat 10:00-14:00' "
                 "--phone=+49301234567 --buffer=10m",
      .run = CreateClinic,
  });
  commands.Add(ListCommand("clinics list", "List the organization's clinics", ListClinics, {}));
  commands.Add(
      ShowCommand("clinics show", "Show a clinic with its opening hours", "CLINIC_ID", ShowClinic));
  commands.Add({
      .name = "practitioners create",
      .summary = "Create a practitioner (clinic_admin); prints the id",
      .options = {{"name", "TEXT", "e.g. 'Dr. Anna Weber'"},
                  {"clinics", "CLINIC_IDS", "clinics the practitioner works at"},
                  {"hours", "HOURS",
                   "working hours, at the first clinic unless an entry starts "
                   "with @CLINIC_ID, e.g. 'mon-fri 09:00-17:00'"},
                  {"categories", "CATEGORIES",
                   "qualified for, e.g. mesotherapy,collagen_injection"},
                  {"physician", "", "the practitioner is a physician"},
                  {"subject", "SUB", "the 'sub' of their login token (needed for overrides)"},
                  {"request_id", "UUID", "idempotency key; reuse it when retrying"}},
      .required = {"name", "clinics"},
      .run = CreatePractitioner,
  });
  commands.Add(ListCommand("practitioners list", "List practitioners", ListPractitioners,
                           {{"clinic", "CLINIC_ID", "only those working at this clinic"},
                            {"category", "CATEGORY", "only those qualified for it"}}));
  commands.Add(ShowCommand("practitioners show", "Show a practitioner with working hours",
                           "PRACTITIONER_ID", ShowPractitioner));
  commands.Add({
      .name = "rooms create",
      .summary = "Create a treatment room (clinic_admin); prints the id",
      .options = {{"clinic", "CLINIC_ID", "the room's clinic"},
                  {"name", "TEXT", "unique within the clinic, e.g. 'Room 1'"},
                  {"categories", "CATEGORIES", "equipped for (default: any)"},
                  {"request_id", "UUID", "idempotency key; reuse it when retrying"}},
      .required = {"clinic", "name"},
      .run = CreateRoom,
  });
  commands.Add(ListCommand("rooms list", "List treatment rooms", ListRooms,
                           {{"clinic", "CLINIC_ID", "only rooms of this clinic"}}));
  commands.Add(ShowCommand("rooms show", "Show a room", "ROOM_ID", ShowRoom));
}

}  // namespace dermaflow::dermactl
