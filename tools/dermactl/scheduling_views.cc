#include "tools/dermactl/scheduling_views.h"

#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

std::string Session(const sv1::Appointment& a) {
  return a.course_session_index() == 0 ? "" : absl::StrCat("#", a.course_session_index());
}

// "requested (answer by Tue 10:00)", "confirmed (link)", ... in `zone`.
std::string Confirmation(const sv1::Confirmation& c, const absl::TimeZone& zone) {
  if (c.state() == sv1::CONFIRMATION_STATE_UNSPECIFIED) return "";
  std::string out = Label(c.state());
  if (c.state() == sv1::CONFIRMATION_STATE_NOT_REQUESTED && c.has_request_time()) {
    absl::StrAppend(&out, " (asks ", FormatTime(c.request_time(), zone), ")");
  } else if (c.state() == sv1::CONFIRMATION_STATE_REQUESTED) {
    absl::StrAppend(&out, " (answer by ", FormatTime(c.answer_deadline(), zone), ")");
  } else if (c.answered_via() != sv1::CONFIRMATION_CHANNEL_UNSPECIFIED) {
    absl::StrAppend(&out, " (", Label(c.answered_via()), " ", FormatTime(c.answer_time(), zone),
                    ")");
  }
  return out;
}

std::string Override(const sv1::Override& o, const absl::TimeZone& zone) {
  if (o.reason().empty()) return "";
  std::vector<std::string> codes;
  for (int c : o.acknowledged_codes())
    codes.push_back(Label(static_cast<prv1::ContraindicationCode>(c)));
  return absl::StrCat(absl::StrJoin(codes, ","), " by ", o.practitioner_id(), " ",
                      FormatTime(o.override_time(), zone), ": ", o.reason());
}

}  // namespace

void PrintAppointment(Context& ctx, const sv1::Appointment& a) {
  const absl::TimeZone zone = ZoneOr(a.time_zone(), ctx.display_zone());
  Fields f;
  f.Add("id", a.id())
      .Add("state", Label(a.state()))
      .Add("start", FormatTime(a.start_time(), zone))
      .Add("end", FormatTime(a.end_time(), zone))
      .Add("patient", a.patient_id())
      .Add("protocol", absl::StrCat(a.protocol_id(), " v", a.protocol_version(), " (",
                                    Label(a.protocol_category()), ")"))
      .Add("clinic", absl::StrCat(a.clinic_id(), " (", a.time_zone(), ")"))
      .Add("practitioner", a.practitioner_id())
      .Add("room", a.room_id())
      .Add("course", a.course_id().empty()
                         ? ""
                         : absl::StrCat(a.course_id(), " session ", a.course_session_index()))
      .Add("areas", Labels<prv1::TreatmentArea>(a.areas()))
      .Add("confirmation", Confirmation(a.confirmation(), zone))
      .Add("override", Override(a.override(), zone))
      .Add("arrived", FormatTime(a.arrive_time(), zone))
      .Add("no-show", FormatTime(a.noshow_time(), zone));
  if (a.has_completion()) {
    const sv1::Completion& c = a.completion();
    std::vector<std::string> products;
    for (const auto& p : c.products()) {
      products.push_back(absl::StrCat(p.name(),
                                      p.lot_number().empty() ? "" : " lot " + p.lot_number(),
                                      p.amount().empty() ? "" : " " + p.amount()));
    }
    f.Add("completed", absl::StrCat(FormatTime(c.complete_time(), zone),
                                    c.completed_by().empty() ? "" : " by " + c.completed_by()))
        .Add("treated", Labels<prv1::TreatmentArea>(c.treated_areas()))
        .Add("side effects", Labels<sv1::SideEffect>(c.side_effects()))
        .Add("products", absl::StrJoin(products, "; "))
        .Add("clinical notes", c.notes());
  }
  if (a.has_cancellation()) {
    const sv1::Cancellation& c = a.cancellation();
    f.Add("cancelled", absl::StrCat(FormatTime(c.cancel_time(), zone), " ", Label(c.reason()),
                                    c.cancelled_by().empty() ? "" : " by " + c.cancelled_by(),
                                    c.note().empty() ? "" : ": " + c.note()));
  }
  f.Add("notes", a.notes()).Add("etag", a.etag()).Print(ctx.out());
}

void PrintAppointments(Context& ctx,
                       const google::protobuf::RepeatedPtrField<sv1::Appointment>& list) {
  Table t({"ID", "START", "STATE", "CONFIRMATION", "SESSION", "PATIENT", "PROTOCOL", "PRACTITIONER",
           "ROOM"});
  for (const auto& a : list) {
    const absl::TimeZone zone = ZoneOr(a.time_zone(), ctx.display_zone());
    t.Row({a.id(), FormatTime(a.start_time(), zone), Label(a.state()),
           Confirmation(a.confirmation(), zone), Session(a), a.patient_id(),
           Label(a.protocol_category()), a.practitioner_id(), a.room_id()});
  }
  t.Print(ctx.out(), "no appointments");
}

void PrintCourse(Context& ctx, const sv1::Course& c) {
  const absl::TimeZone zone = ZoneOr(c.time_zone(), ctx.display_zone());
  Fields()
      .Add("id", c.id())
      .Add("state", Label(c.state()))
      .Add("patient", c.patient_id())
      .Add("protocol", absl::StrCat(c.protocol_id(), " v", c.protocol_version(), " (",
                                    Label(c.protocol_category()), ")"))
      .Add("clinic",
           absl::StrCat(c.clinic_id(), c.time_zone().empty() ? "" : " (" + c.time_zone() + ")"))
      .Add("practitioner", c.practitioner_id())
      .Add("areas", Labels<prv1::TreatmentArea>(c.areas()))
      .Add("sessions",
           absl::StrCat(c.sessions_fulfilled(), " of ", c.session_count(), " fulfilled"))
      .Add("maintenance due",
           c.has_maintenance_due_date()
               ? absl::StrCat(FormatDate(c.maintenance_due_date()), " (", c.time_zone(), ")")
               : "")
      .Add("override", Override(c.override(), zone))
      .Add("completed", FormatTime(c.complete_time(), zone))
      .Add("cancelled", c.has_cancellation()
                            ? absl::StrCat(FormatTime(c.cancellation().cancel_time(), zone), " ",
                                           Label(c.cancellation().reason()))
                            : "")
      .Add("etag", c.etag())
      .Print(ctx.out());
  if (c.appointments_size() > 0) {
    ctx.out() << "\n";
    PrintAppointments(ctx, c.appointments());
  }
}

}  // namespace dermaflow::dermactl
