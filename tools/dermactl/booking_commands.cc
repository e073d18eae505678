// dermactl slots, book, plan-course, course show|list: finding and booking
// sessions. Local times are read in the clinic's zone.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/scheduling_views.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

absl::StatusOr<absl::TimeZone> ClinicZone(Context& ctx, const std::string& clinic_id) {
  sv1::GetClinicRequest req;
  req.set_id(clinic_id);
  sv1::Clinic clinic;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().GetClinic(c, req, &clinic);
  }));
  return ZoneOr(clinic.time_zone(), absl::UTCTimeZone());
}

// Only with --override-reason: an empty Override would be validated as one.
template <typename Request>
absl::Status OverrideFrom(const Args& args, Request& req) {
  if (!args.Has("override_reason")) return absl::OkStatus();
  sv1::Override* o = req.mutable_override();
  o->set_reason(args.Get("override_reason"));
  DF_ASSIGN_OR_RETURN(auto codes, ParseEnumList<prv1::ContraindicationCode>(args.Get("acknowledge"),
                                                                            "acknowledge"));
  for (auto c : codes) o->add_acknowledged_codes(c);
  return absl::OkStatus();
}

absl::Status Slots(Context& ctx, const Args& args) {
  DF_ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicZone(ctx, args.Get("clinic")));
  sv1::FindAvailableSlotsRequest req;
  req.set_clinic_id(args.Get("clinic"));
  req.set_protocol_id(args.Get("protocol"));
  req.set_practitioner_id(args.Get("practitioner"));
  req.set_room_id(args.Get("room"));
  req.set_patient_id(args.Get("patient"));
  req.set_page_size(args.Number("limit", 20));
  req.set_page_token(args.Get("page_token"));
  absl::CivilDay first = absl::ToCivilDay(absl::Now(), zone);
  if (args.Has("date")) {
    DF_ASSIGN_OR_RETURN(first, ParseDay(args.Get("date"), "date"));
  }
  int days = args.Number("days", args.Has("date") ? 1 : 7);
  if (days < 1 || days > 31) return UsageError("--days: expected 1 to 31");
  *req.mutable_time_range()->mutable_start_time() = ToTimestamp(absl::FromCivil(first, zone));
  *req.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromCivil(first + days, zone));
  sv1::FindAvailableSlotsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().FindAvailableSlots(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"START", "END", "PRACTITIONER", "ROOM"});
  for (const auto& s : resp.slots()) {
    t.Row({FormatTime(s.start_time(), zone), FormatTime(s.end_time(), zone), s.practitioner_id(),
           s.room_id()});
  }
  t.Print(ctx.out(), "no free slots in that window (try --days or another --practitioner)");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Book(Context& ctx, const Args& args) {
  DF_ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicZone(ctx, args.Get("clinic")));
  sv1::BookAppointmentRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  req.set_patient_id(args.Get("patient"));
  req.set_protocol_id(args.Get("protocol"));
  req.set_clinic_id(args.Get("clinic"));
  req.set_practitioner_id(args.Get("practitioner"));
  req.set_room_id(args.Get("room"));
  DF_ASSIGN_OR_RETURN(absl::Time start, ParseStart(args.Get("start"), zone, "start"));
  *req.mutable_start_time() = ToTimestamp(start);
  DF_ASSIGN_OR_RETURN(auto areas, ParseEnumList<prv1::TreatmentArea>(args.Get("areas"), "areas"));
  for (auto a : areas) req.add_areas(a);
  req.set_notes(args.Get("notes"));
  req.set_course_id(args.Get("course"));
  req.set_course_session_index(args.Number("session"));
  DF_RETURN_IF_ERROR(OverrideFrom(args, req));
  req.set_validate_only(args.Switch("validate_only"));
  sv1::Appointment booked;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().BookAppointment(c, req, &booked);
  }));
  if (ctx.structured()) return ctx.PrintMessage(booked);
  if (req.validate_only()) ctx.out() << "(validate only: nothing was booked)\n";
  PrintAppointment(ctx, booked);
  return absl::OkStatus();
}

absl::Status PlanCourse(Context& ctx, const Args& args) {
  DF_ASSIGN_OR_RETURN(absl::TimeZone zone, ClinicZone(ctx, args.Get("clinic")));
  sv1::PlanCourseRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  req.set_patient_id(args.Get("patient"));
  req.set_protocol_id(args.Get("protocol"));
  req.set_clinic_id(args.Get("clinic"));
  req.set_practitioner_id(args.Get("practitioner"));
  req.set_room_id(args.Get("room"));
  DF_ASSIGN_OR_RETURN(absl::Time start, ParseStart(args.Get("start"), zone, "start"));
  *req.mutable_first_start_time() = ToTimestamp(start);
  DF_ASSIGN_OR_RETURN(auto areas, ParseEnumList<prv1::TreatmentArea>(args.Get("areas"), "areas"));
  for (auto a : areas) req.add_areas(a);
  req.set_session_count(args.Number("sessions"));
  req.set_notes(args.Get("notes"));
  DF_RETURN_IF_ERROR(OverrideFrom(args, req));
  req.set_validate_only(args.Switch("validate_only"));
  sv1::Course course;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().PlanCourse(c, req, &course);
  }));
  if (ctx.structured()) return ctx.PrintMessage(course);
  if (req.validate_only()) ctx.out() << "(validate only: the proposed plan; nothing was booked)\n";
  PrintCourse(ctx, course);
  return absl::OkStatus();
}

absl::Status ShowCourse(Context& ctx, const Args& args) {
  sv1::GetCourseRequest req;
  req.set_id(args.arg(0));
  sv1::Course course;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().GetCourse(c, req, &course);
  }));
  if (ctx.structured()) return ctx.PrintMessage(course);
  PrintCourse(ctx, course);
  return absl::OkStatus();
}

absl::Status ListCourses(Context& ctx, const Args& args) {
  sv1::ListCoursesRequest req;
  req.set_patient_id(args.Get("patient"));
  req.set_clinic_id(args.Get("clinic"));
  DF_ASSIGN_OR_RETURN(auto states, ParseEnumList<sv1::CourseState>(args.Get("states"), "states"));
  for (auto s : states) req.add_states(s);
  req.set_page_token(args.Get("page_token"));
  if (req.patient_id().empty() && req.clinic_id().empty()) {
    return UsageError("give --patient or --clinic");
  }
  sv1::ListCoursesResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListCourses(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "STATE", "PATIENT", "PROTOCOL", "SESSIONS", "MAINTENANCE DUE", "CREATED"});
  for (const auto& c : resp.courses()) {
    t.Row({c.id(), Label(c.state()), c.patient_id(), Label(c.protocol_category()),
           absl::StrCat(c.sessions_fulfilled(), "/", c.session_count()),
           FormatDate(c.maintenance_due_date()),
           FormatTime(c.create_time(), ZoneOr(c.time_zone(), ctx.display_zone()))});
  }
  t.Print(ctx.out(), "no courses");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

const std::vector<Option>& BookingOptions() {
  static const auto* options = new std::vector<Option>{
      {"patient", "PATIENT_ID", "the patient"},
      {"protocol", "PROTOCOL_ID", "the protocol (its latest version is booked)"},
      {"clinic", "CLINIC_ID", "the clinic"},
      {"practitioner", "PRACTITIONER_ID", "the practitioner"},
      {"start", "TIME", "'2026-11-24 10:00' (clinic time), RFC 3339, or now+15m"},
      {"room", "ROOM_ID", "a room (default: the server picks a free one)"},
      {"areas", "AREAS", "areas to treat, e.g. face,neck (default: all of the protocol's)"},
      {"notes", "TEXT", "staff note"},
      {"override_reason", "TEXT", "practitioner's override of relative contraindications"},
      {"acknowledge", "CODES", "warning codes the override accepts, e.g. anticoagulants"},
      {"validate_only", "", "check everything, book nothing"},
      {"request_id", "UUID", "idempotency key; reuse it when retrying"}};
  return *options;
}

}  // namespace

void RegisterBookingCommands(CommandSet& commands) {
  commands.Add({
      .name = "slots",
      .summary = "Find free start times for a protocol at a clinic",
      .options = {{"clinic", "CLINIC_ID", "the clinic"},
                  {"protocol", "PROTOCOL_ID", "the protocol (session length, qualification)"},
                  {"date", "YYYY-MM-DD", "first local day to search (default today)"},
                  {"days", "N", "days to search (default 1 with --date, else 7; at most 31)"},
                  {"practitioner", "PRACTITIONER_ID", "only with this practitioner"},
                  {"room", "ROOM_ID", "only in this room"},
                  {"patient", "PATIENT_ID", "leave out times the patient is busy"},
                  {"limit", "N", "at most N slots (default 20)"},
                  {"page_token", "TOKEN", "the next page"}},
      .required = {"clinic", "protocol"},
      .run = Slots,
  });
  std::vector<Option> book = BookingOptions();
  book.insert(book.end() - 3,
              {{"course", "COURSE_ID", "replace a cancelled session of this course"},
               {"session", "N", "with --course: the session to replace (1-based)"}});
  commands.Add({
      .name = "book",
      .summary = "Book a single session (screens the patient first)",
      .options = book,
      .required = {"patient", "protocol", "clinic", "practitioner", "start"},
      .details = "Example:\n  dermactl book --patient=$P --protocol=$PROTO --clinic=$CLINIC "
                 "--practitioner=$DR --start='2026-11-24 10:00' --areas=face",
      .run = Book,
  });
  std::vector<Option> plan = BookingOptions();
  plan.insert(plan.begin() + 5, {"sessions", "N", "number of sessions (default: the protocol's)"});
  commands.Add({
      .name = "plan-course",
      .summary = "Book a whole course (all sessions or none)",
      .options = plan,
      .required = {"patient", "protocol", "clinic", "practitioner", "start"},
      .details =
          "Sessions follow the protocol's interval at the same local time, moved within its "
          "tolerance when taken.\nExample:\n  dermactl plan-course --patient=$P "
          "--protocol=$HYDRALIFT --clinic=$BERLIN --practitioner=$DR --start='2026-11-24 10:00'",
      .run = PlanCourse,
  });
  commands.Add({
      .name = "course show",
      .summary = "Show a course with its sessions and maintenance due date",
      .arguments = "COURSE_ID",
      .min_args = 1,
      .max_args = 1,
      .run = ShowCourse,
  });
  commands.Add({
      .name = "course list",
      .summary = "List courses of a patient or clinic, newest first",
      .options = {{"patient", "PATIENT_ID", "courses of this patient"},
                  {"clinic", "CLINIC_ID", "courses at this clinic"},
                  {"states", "STATES", "e.g. planned,active"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = ListCourses,
  });
}

}  // namespace dermaflow::dermactl
