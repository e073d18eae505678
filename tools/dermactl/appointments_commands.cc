// dermactl appointments list|show|confirm, check-in, complete, cancel,
// reschedule: the life cycle of a booked session.
#include <ostream>

#include "absl/strings/str_split.h"
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

absl::StatusOr<sv1::Appointment> Get(Context& ctx, const std::string& id) {
  sv1::GetAppointmentRequest req;
  req.set_id(id);
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().GetAppointment(c, req, &a);
  }));
  return a;
}

absl::Status Print(Context& ctx, const sv1::Appointment& a) {
  if (ctx.structured()) return ctx.PrintMessage(a);
  PrintAppointment(ctx, a);
  return absl::OkStatus();
}

absl::Status List(Context& ctx, const Args& args) {
  sv1::ListAppointmentsRequest req;
  req.set_patient_id(args.Get("patient"));
  req.set_clinic_id(args.Get("clinic"));
  req.set_practitioner_id(args.Get("practitioner"));
  req.set_course_id(args.Get("course"));
  req.set_room_id(args.Get("room"));
  req.set_page_token(args.Get("page_token"));
  DF_ASSIGN_OR_RETURN(auto states,
                      ParseEnumList<sv1::AppointmentState>(args.Get("states"), "states"));
  for (auto s : states) req.add_states(s);
  DF_ASSIGN_OR_RETURN(auto confirmations, ParseEnumList<sv1::ConfirmationState>(
                                              args.Get("confirmation"), "confirmation"));
  for (auto s : confirmations) req.add_confirmation_states(s);
  if (req.patient_id().empty() && req.clinic_id().empty() && req.practitioner_id().empty() &&
      req.course_id().empty()) {
    return UsageError("give --patient, --course, --clinic or --practitioner");
  }
  // A day sheet: the local day(s) in the clinic's zone (or --time-zone).
  const bool needs_range = req.patient_id().empty() && req.course_id().empty();
  if (needs_range || args.Has("date")) {
    absl::TimeZone zone = ctx.display_zone();
    if (!req.clinic_id().empty()) {
      sv1::GetClinicRequest get;
      get.set_id(req.clinic_id());
      sv1::Clinic clinic;
      DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
        return ctx.scheduling().GetClinic(c, get, &clinic);
      }));
      zone = ZoneOr(clinic.time_zone(), zone);
    }
    absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone);
    if (args.Has("date")) {
      DF_ASSIGN_OR_RETURN(day, ParseDay(args.Get("date"), "date"));
    }
    int days = args.Number("days", 1);
    if (days < 1 || days > 62) return UsageError("--days: expected 1 to 62");
    *req.mutable_time_range()->mutable_start_time() = ToTimestamp(absl::FromCivil(day, zone));
    *req.mutable_time_range()->mutable_end_time() = ToTimestamp(absl::FromCivil(day + days, zone));
  }
  sv1::ListAppointmentsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListAppointments(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  PrintAppointments(ctx, resp.appointments());
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Show(Context& ctx, const Args& args) {
  DF_ASSIGN_OR_RETURN(sv1::Appointment a, Get(ctx, args.arg(0)));
  return Print(ctx, a);
}

absl::Status CheckIn(Context& ctx, const Args& args) {
  sv1::CheckInAppointmentRequest req;
  req.set_id(args.arg(0));
  req.set_etag(args.Get("etag"));
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().CheckInAppointment(c, req, &a);
  }));
  return Print(ctx, a);
}

absl::Status Complete(Context& ctx, const Args& args) {
  sv1::CompleteAppointmentRequest req;
  req.set_id(args.arg(0));
  req.set_etag(args.Get("etag"));
  sv1::Completion* completion = req.mutable_completion();
  DF_ASSIGN_OR_RETURN(auto areas, ParseEnumList<prv1::TreatmentArea>(args.Get("areas"), "areas"));
  DF_ASSIGN_OR_RETURN(auto effects,
                      ParseEnumList<sv1::SideEffect>(args.Get("side_effects"), "side_effects"));
  if (areas.empty()) {  // default: what was booked
    DF_ASSIGN_OR_RETURN(sv1::Appointment booked, Get(ctx, req.id()));
    for (int a : booked.areas()) completion->add_treated_areas(static_cast<prv1::TreatmentArea>(a));
  }
  for (auto a : areas) completion->add_treated_areas(a);
  for (auto e : effects) completion->add_side_effects(e);
  completion->set_notes(args.Get("notes"));
  completion->set_practitioner_id(args.Get("practitioner"));
  for (absl::string_view product :
       absl::StrSplit(args.Get("products"), ';', absl::SkipWhitespace())) {
    std::vector<std::string> parts = absl::StrSplit(product, ':');
    auto* p = completion->add_products();
    p->set_name(parts[0]);
    if (parts.size() > 1) p->set_lot_number(parts[1]);
    if (parts.size() > 2) p->set_amount(parts[2]);
  }
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().CompleteAppointment(c, req, &a);
  }));
  return Print(ctx, a);
}

absl::Status Cancel(Context& ctx, const Args& args) {
  sv1::CancelAppointmentRequest req;
  req.set_id(args.arg(0));
  DF_ASSIGN_OR_RETURN(auto reason, ParseEnum<sv1::CancellationReason>(
                                       args.Get("reason", "patient_request"), "reason"));
  req.mutable_cancellation()->set_reason(reason);
  req.mutable_cancellation()->set_note(args.Get("note"));
  req.set_etag(args.Get("etag"));
  if (req.etag().empty()) {
    DF_ASSIGN_OR_RETURN(sv1::Appointment current, Get(ctx, req.id()));
    req.set_etag(current.etag());
  }
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().CancelAppointment(c, req, &a);
  }));
  return Print(ctx, a);
}

absl::Status Reschedule(Context& ctx, const Args& args) {
  DF_ASSIGN_OR_RETURN(sv1::Appointment current, Get(ctx, args.arg(0)));
  sv1::RescheduleAppointmentRequest req;
  req.set_id(current.id());
  DF_ASSIGN_OR_RETURN(
      absl::Time start,
      ParseStart(args.Get("start"), ZoneOr(current.time_zone(), ctx.display_zone()), "start"));
  *req.mutable_start_time() = ToTimestamp(start);
  req.set_practitioner_id(args.Get("practitioner"));
  req.set_room_id(args.Get("room"));
  req.set_etag(args.Get("etag", current.etag()));
  req.set_validate_only(args.Switch("validate_only"));
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().RescheduleAppointment(c, req, &a);
  }));
  return Print(ctx, a);
}

absl::Status Confirm(Context& ctx, const Args& args) {
  sv1::ConfirmAppointmentRequest req;
  req.set_id(args.arg(0));
  std::string answer = args.Get("answer");
  if (answer == "reschedule") answer = "reschedule_requested";
  DF_ASSIGN_OR_RETURN(auto state, ParseEnum<sv1::ConfirmationState>(answer, "answer"));
  req.set_answer(state);
  req.set_etag(args.Get("etag"));
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ConfirmAppointment(c, req, &a);
  }));
  return Print(ctx, a);
}

Command OnAppointment(std::string name, std::string summary, std::vector<Option> options,
                      std::function<absl::Status(Context&, const Args&)> run) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .arguments = "APPOINTMENT_ID",
          .min_args = 1,
          .max_args = 1,
          .options = std::move(options),
          .run = std::move(run)};
}

}  // namespace

void RegisterAppointmentCommands(CommandSet& commands) {
  commands.Add({
      .name = "appointments list",
      .summary = "List appointments: a day sheet, a calendar or a patient's history",
      .options = {{"patient", "PATIENT_ID", "the patient's appointments (any time)"},
                  {"course", "COURSE_ID", "the sessions of a course"},
                  {"clinic", "CLINIC_ID", "a clinic's day sheet"},
                  {"practitioner", "PRACTITIONER_ID", "a practitioner's calendar"},
                  {"room", "ROOM_ID", "only this room"},
                  {"date", "YYYY-MM-DD", "local day (default today)"},
                  {"days", "N", "days from --date (default 1)"},
                  {"states", "STATES", "e.g. booked,arrived"},
                  {"confirmation", "STATES",
                   "confirmation states, e.g. no_answer,reschedule_requested (the task list)"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = List,
  });
  commands.Add(OnAppointment("appointments show", "Show one appointment", {}, Show));
  commands.Add(OnAppointment("check-in", "Record that the patient has arrived",
                             {{"etag", "ETAG", "fail if the appointment changed since"}}, CheckIn));
  Command complete =
      OnAppointment("complete", "Record the treatment (practitioner); aftercare reminders follow",
                    {{"areas", "AREAS", "areas treated (default: the booked ones)"},
                     {"side_effects", "EFFECTS", "observed, e.g. bruising,redness"},
                     {"notes", "TEXT", "clinical notes (never sent to the patient)"},
                     {"products", "PRODUCTS", "NAME[:LOT[:AMOUNT]], separated by ;"},
                     {"practitioner", "PRACTITIONER_ID", "who treated (default: the booked one)"},
                     {"etag", "ETAG", "fail if the appointment changed since"}},
                    Complete);
  complete.details =
      "Example:\n  dermactl complete $APPT --areas=face,neck --side-effects=bruising "
      "--products='HydraMix 1 %:L2311:2 ml'";
  commands.Add(std::move(complete));
  commands.Add(
      OnAppointment("cancel", "Cancel an appointment; its reminders are cancelled",
                    {{"reason", "REASON",
                      "patient_request (default), clinic_request, practitioner_unavailable, "
                      "contraindication or other"},
                     {"note", "TEXT", "details for staff"},
                     {"etag", "ETAG", "the appointment as last seen (default: the current one)"}},
                    Cancel));
  Command reschedule = OnAppointment(
      "reschedule", "Move a booked appointment; its reminders move with it",
      {{"start", "TIME", "new start: '2026-11-24 10:00' (clinic time), RFC 3339 or now+15m"},
       {"practitioner", "PRACTITIONER_ID", "another practitioner"},
       {"room", "ROOM_ID", "another room"},
       {"etag", "ETAG", "the appointment as last seen (default: the current one)"},
       {"validate_only", "", "check only"}},
      Reschedule);
  reschedule.required = {"start"};
  commands.Add(std::move(reschedule));
  Command confirm = OnAppointment(
      "appointments confirm", "Record the patient's answer to the confirmation request",
      {{"answer", "ANSWER",
        "confirmed, declined (cancels: reason patient_request, slot freed) or reschedule"},
       {"etag", "ETAG", "fail if the appointment changed since"}},
      Confirm);
  confirm.required = {"answer"};
  confirm.details =
      "Example (the patient called back):\n  dermactl appointments confirm $APPT "
      "--answer=confirmed";
  commands.Add(std::move(confirm));
}

}  // namespace dermaflow::dermactl
