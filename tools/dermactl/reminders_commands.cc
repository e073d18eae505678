// dermactl reminders list|show|cancel|watch, dead-letters list|requeue and
// queue-stats: the reminder queue for reception and ops.
#include <chrono>
#include <ostream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;

std::string About(const nv1::Reminder& r) {
  if (!r.appointment_id().empty()) return "appointment " + r.appointment_id();
  if (!r.course_id().empty()) return "course " + r.course_id();
  return "";
}

void PrintReminders(Context& ctx, const google::protobuf::RepeatedPtrField<nv1::Reminder>& list,
                    const std::string& empty_text) {
  Table t({"ID", "KIND", "RULE", "STATE", "DUE", "CHANNEL", "PATIENT", "ABOUT", "DETAIL"});
  for (const auto& r : list) {
    t.Row({r.id(), Label(r.kind()), r.rule_code(), Label(r.state()),
           FormatTime(r.due_time(), ctx.ClinicZone(r.clinic_id())),
           r.channel() ? Label(r.channel()) : "", r.patient_id(), About(r), r.state_detail()});
  }
  t.Print(ctx.out(), empty_text);
}

absl::Status PrintReminder(Context& ctx, const nv1::Reminder& r) {
  if (ctx.structured()) return ctx.PrintMessage(r);
  const absl::TimeZone zone = ctx.ClinicZone(r.clinic_id());
  Fields()
      .Add("id", r.id())
      .Add("kind", Label(r.kind()) + (r.rule_code().empty() ? "" : " (" + r.rule_code() + ")"))
      .Add("state", Label(r.state()) + (r.state_detail().empty() ? "" : ": " + r.state_detail()))
      .Add("suppressed", r.suppression_reason() ? Label(r.suppression_reason()) : "")
      .Add("patient", r.patient_id())
      .Add("due", FormatTime(r.due_time(), zone))
      .Add("planned for", FormatTime(r.original_due_time(), zone))
      .Add("channel", r.channel() ? Label(r.channel()) : "")
      .Add("locale", r.locale())
      .Add("appointment", r.appointment_id())
      .Add("course", r.course_id())
      .Add("protocol",
           r.protocol_id().empty() ? "" : absl::StrCat(r.protocol_id(), " v", r.protocol_version()))
      .Add("clinic", r.clinic_id())
      .Add("attempts", r.attempts() ? absl::StrCat(r.attempts()) : "")
      .Add("last error",
           r.has_last_error()
               ? absl::StrCat(
                     absl::StatusCodeToString(static_cast<absl::StatusCode>(r.last_error().code())),
                     ": ", r.last_error().message())
               : "")
      .Add("delivered", FormatTime(r.delivered_time(), zone))
      .Add("created", FormatTime(r.create_time(), zone))
      .Add("updated", FormatTime(r.update_time(), zone))
      .Print(ctx.out());
  return absl::OkStatus();
}

absl::Status List(Context& ctx, const Args& args) {
  nv1::ListRemindersRequest req;
  req.set_patient_id(args.Get("patient"));
  req.set_appointment_id(args.Get("appointment"));
  req.set_course_id(args.Get("course"));
  DF_ASSIGN_OR_RETURN(auto kinds, ParseEnumList<nv1::ReminderKind>(args.Get("kinds"), "kinds"));
  for (auto k : kinds) req.add_kinds(k);
  DF_ASSIGN_OR_RETURN(auto states, ParseEnumList<nv1::ReminderState>(args.Get("states"), "states"));
  for (auto s : states) req.add_states(s);
  req.set_page_size(args.Number("page_size"));
  req.set_page_token(args.Get("page_token"));
  nv1::ListRemindersResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().ListReminders(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  PrintReminders(ctx, resp.reminders(), "no reminders");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Show(Context& ctx, const Args& args) {
  nv1::GetReminderRequest req;
  req.set_id(args.arg(0));
  nv1::Reminder r;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().GetReminder(c, req, &r);
  }));
  return PrintReminder(ctx, r);
}

absl::Status Cancel(Context& ctx, const Args& args) {
  nv1::CancelReminderRequest req;
  req.set_id(args.arg(0));
  req.set_note(args.Get("note"));
  nv1::Reminder r;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().CancelReminder(c, req, &r);
  }));
  return PrintReminder(ctx, r);
}

// --- watch -------------------------------------------------------------------

void PrintDelivery(Context& ctx, const nv1::Delivery& d) {
  std::ostream& out = ctx.out();
  out << "[" << FormatTime(d.delivered_time(), ctx.display_zone()) << "] " << Label(d.kind())
      << " via " << Label(d.channel()) << " (" << d.locale() << ") to patient " << d.patient_id();
  if (!d.appointment_id().empty()) out << ", appointment " << d.appointment_id();
  out << "\n";
  if (!d.subject().empty()) out << "  " << d.subject() << "\n";
  out << "  ";
  for (char c : d.body()) out << c << (c == '\n' ? "  " : "");
  out << "\n" << std::endl;  // flush: a human or a script is reading live
}

struct WatchState {
  std::set<std::string> seen;  // reminder ids: each is delivered at most once
  google::protobuf::Timestamp last;
  int printed = 0;
};

absl::Status Emit(Context& ctx, const nv1::Delivery& d, WatchState& state) {
  if (!state.seen.insert(d.reminder_id()).second) return absl::OkStatus();
  if (ToAbslTime(d.delivered_time()) > ToAbslTime(state.last)) state.last = d.delivered_time();
  ++state.printed;
  if (ctx.structured()) return ctx.PrintStreamed(d);
  PrintDelivery(ctx, d);
  return absl::OkStatus();
}

// After a reconnect: what was delivered while the stream was down.
absl::Status CatchUp(Context& ctx, const nv1::WatchNotificationsRequest& watch, WatchState& state) {
  nv1::ListDeliveriesRequest req;
  req.set_patient_id(watch.patient_id());
  *req.mutable_channels() = watch.channels();
  req.set_page_size(500);
  *req.mutable_delivered_time_range()->mutable_start_time() = state.last;
  nv1::ListDeliveriesResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().ListDeliveries(c, req, &resp);
  }));
  for (auto it = resp.deliveries().rbegin(); it != resp.deliveries().rend();
       ++it) {  // oldest first
    DF_RETURN_IF_ERROR(Emit(ctx, *it, state));
  }
  return absl::OkStatus();
}

absl::Status Watch(Context& ctx, const Args& args) {
  nv1::WatchNotificationsRequest req;
  req.set_patient_id(args.Get("patient"));
  DF_ASSIGN_OR_RETURN(auto channels, ParseEnumList<pv1::Channel>(args.Get("channels"), "channels"));
  for (auto c : channels) req.add_channels(c);
  const int count = args.Number("count");
  absl::Time until = absl::InfiniteFuture();
  if (args.Has("for")) {
    DF_ASSIGN_OR_RETURN(absl::Duration d, ParseDuration(args.Get("for"), "for"));
    until = absl::Now() + d;
  }
  WatchState state;
  state.last = ToTimestamp(absl::Now());
  if (!ctx.structured()) {
    ctx.err() << "watching deliveries"
              << (req.patient_id().empty() ? "" : " to " + req.patient_id()) << " (Ctrl-C stops)\n";
  }
  absl::Duration backoff = absl::Milliseconds(250);
  for (bool reconnect = false;; reconnect = true) {
    grpc::ClientContext call;
    ctx.Prepare(&call, /*with_deadline=*/false);
    if (until != absl::InfiniteFuture()) call.set_deadline(absl::ToChronoTime(until));
    call.set_wait_for_ready(true);  // survive a restarting service
    auto stream = ctx.notification().WatchNotifications(&call, req);
    if (reconnect) {
      // Subscribed again first, then caught up: nothing falls in between,
      // and Emit drops what both show.
      absl::Status caught = CatchUp(ctx, req, state);
      if (!caught.ok() && caught.code() != absl::StatusCode::kUnavailable) return caught;
    }
    nv1::Delivery delivery;
    while ((count == 0 || state.printed < count) && stream->Read(&delivery)) {
      DF_RETURN_IF_ERROR(Emit(ctx, delivery, state));
      backoff = absl::Milliseconds(250);
    }
    if (count > 0 && state.printed >= count) {
      call.TryCancel();
      return absl::OkStatus();
    }
    grpc::Status status = stream->Finish();
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED || absl::Now() >= until) {
      return absl::OkStatus();  // --for elapsed
    }
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE && !status.ok()) {
      return ctx.Annotate(Service::kNotification, status);
    }
    if (!ctx.structured())
      ctx.err() << "(stream ended: " << status.error_message() << "; reconnecting)\n";
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(backoff));
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

// --- dead letters and stats --------------------------------------------------------

absl::Status ListDeadLetters(Context& ctx, const Args& args) {
  nv1::ListDeadLettersRequest req;
  req.set_page_size(args.Number("page_size"));
  req.set_page_token(args.Get("page_token"));
  nv1::ListDeadLettersResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().ListDeadLetters(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "KIND", "PATIENT", "ATTEMPTS", "FAILED", "LAST ERROR"});
  for (const auto& r : resp.reminders()) {
    t.Row({r.id(), Label(r.kind()), r.patient_id(), absl::StrCat(r.attempts()),
           FormatTime(r.update_time(), ctx.display_zone()),
           r.has_last_error() ? r.last_error().message() : ""});
  }
  t.Print(ctx.out(), "no dead letters");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Requeue(Context& ctx, const Args& args) {
  nv1::RequeueDeadLetterRequest req;
  req.set_id(args.arg(0));
  nv1::Reminder r;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().RequeueDeadLetter(c, req, &r);
  }));
  return PrintReminder(ctx, r);
}

absl::Status QueueStats(Context& ctx, const Args& args) {
  nv1::GetQueueStatsRequest req;
  nv1::QueueStats s;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kNotification, [&](grpc::ClientContext* c) {
    return ctx.notification().GetQueueStats(c, req, &s);
  }));
  if (ctx.structured()) return ctx.PrintMessage(s);
  Fields()
      .Add("scheduled", absl::StrCat(s.scheduled()))
      .Add("due", absl::StrCat(s.due()))
      .Add("in flight", absl::StrCat(s.in_flight()))
      .Add("retrying", absl::StrCat(s.retrying()))
      .Add("dead letter", absl::StrCat(s.dead_letter()))
      .Add("oldest due", FormatDuration(s.oldest_due_age()))
      .Add("computed", FormatTime(s.compute_time(), ctx.display_zone()))
      .Print(ctx.out());
  return absl::OkStatus();
}

}  // namespace

void RegisterReminderCommands(CommandSet& commands) {
  commands.Add({
      .name = "reminders list",
      .summary = "List reminders by patient, appointment, course, kind or state",
      .options = {{"patient", "PATIENT_ID", "the patient's reminders"},
                  {"appointment", "APPOINTMENT_ID", "reminders about an appointment"},
                  {"course", "COURSE_ID", "reminders about a course"},
                  {"kinds", "KINDS", "e.g. aftercare,maintenance"},
                  {"states", "STATES", "e.g. scheduled,retrying"},
                  {"page_size", "N", "at most N (default 50)"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = List,
  });
  commands.Add({.name = "reminders show",
                .summary = "Show one reminder",
                .arguments = "REMINDER_ID",
                .min_args = 1,
                .max_args = 1,
                .run = Show});
  commands.Add({.name = "reminders cancel",
                .summary = "Cancel a scheduled reminder (final)",
                .arguments = "REMINDER_ID",
                .min_args = 1,
                .max_args = 1,
                .options = {{"note", "TEXT", "why (no patient data)"}},
                .run = Cancel});
  commands.Add({
      .name = "reminders watch",
      .summary = "Print messages as they are delivered (live stream; reconnects)",
      .options = {{"patient", "PATIENT_ID", "only to this patient"},
                  {"channels", "CHANNELS", "only these, e.g. in_app"},
                  {"count", "N", "stop after N messages"},
                  {"for", "DURATION", "stop after this long, e.g. 5m"}},
      .details = "With -o json each delivery is one JSON line, with -o yaml one YAML document. "
                 "After a reconnect, what was "
                 "delivered meanwhile is caught up with ListDeliveries, each message once.",
      .run = Watch,
  });
  commands.Add({.name = "dead-letters list",
                .summary = "List reminders that failed for good (ops)",
                .options = {{"page_size", "N", "at most N (default 50)"},
                            {"page_token", "TOKEN", "the next page"}},
                .run = ListDeadLetters});
  commands.Add({.name = "dead-letters requeue",
                .summary = "Put a dead letter back into the queue (ops)",
                .arguments = "REMINDER_ID",
                .min_args = 1,
                .max_args = 1,
                .run = Requeue});
  commands.Add({.name = "queue-stats",
                .summary = "Show the reminder queue's depth (ops)",
                .run = QueueStats});
}

}  // namespace dermaflow::dermactl
