// dermactl waitlist add|list|delete|offers|accept|decline: reception's view
// of the waitlist (docs/dermactl.md). Dates and times are the clinic's.
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

namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

absl::Status Add(Context& ctx, const Args& args) {
  sv1::CreateWaitlistEntryRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  sv1::WaitlistEntry* e = req.mutable_entry();
  e->set_patient_id(args.Get("patient"));
  e->set_protocol_id(args.Get("protocol"));
  e->set_clinic_id(args.Get("clinic"));
  e->set_practitioner_id(args.Get("practitioner"));
  DF_ASSIGN_OR_RETURN(absl::CivilDay from, ParseDay(args.Get("from"), "from"));
  DF_ASSIGN_OR_RETURN(absl::CivilDay to, ParseDay(args.Get("to"), "to"));
  *e->mutable_earliest_date() = ToDate(from);
  *e->mutable_latest_date() = ToDate(to);
  if (args.Has("times")) {
    DF_ASSIGN_OR_RETURN(std::vector<HoursRange> ranges, ParseHours(args.Get("times"), "times"));
    for (const HoursRange& r : ranges) {
      sv1::WaitlistTimeWindow* w = e->add_time_windows();
      w->set_day_of_week(r.day);
      *w->mutable_start() = r.open;
      *w->mutable_end() = r.close;
    }
  }
  if (args.Has("channel")) {
    DF_ASSIGN_OR_RETURN(auto channel, ParseEnum<pv1::Channel>(args.Get("channel"), "channel"));
    e->set_preferred_channel(channel);
  }
  if (args.Has("expires")) {
    DF_ASSIGN_OR_RETURN(absl::Time at,
                        ParseStart(args.Get("expires"), ctx.ClinicZone(e->clinic_id()), "expires"));
    e->mutable_expire_time()->set_seconds(absl::ToUnixSeconds(at));
  }
  sv1::WaitlistEntry created;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().CreateWaitlistEntry(c, req, &created);
  }));
  if (ctx.structured()) return ctx.PrintMessage(created);
  ctx.out() << "waitlist entry " << created.id() << " (" << Label(created.state()) << ")\n";
  return absl::OkStatus();
}

absl::Status List(Context& ctx, const Args& args) {
  sv1::ListWaitlistEntriesRequest req;
  req.set_clinic_id(args.Get("clinic"));
  req.set_protocol_id(args.Get("protocol"));
  if (args.Has("state")) {
    DF_ASSIGN_OR_RETURN(auto state, ParseEnum<sv1::WaitlistEntryState>(args.Get("state"), "state"));
    req.set_state(state);
  }
  req.set_page_token(args.Get("page_token"));
  sv1::ListWaitlistEntriesResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListWaitlistEntries(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "STATE", "PATIENT", "PROTOCOL", "PRACTITIONER", "FROM", "TO", "TIMES", "CREATED"});
  for (const auto& e : resp.entries()) {
    std::string times;
    for (const auto& w : e.time_windows()) {
      absl::StrAppend(&times, times.empty() ? "" : "; ",
                      w.day_of_week() == google::type::DAY_OF_WEEK_UNSPECIFIED
                          ? "daily"
                          : Label(w.day_of_week()),
                      " ", FormatTimeOfDay(w.start()), "-", FormatTimeOfDay(w.end()));
    }
    t.Row({e.id(), Label(e.state()), e.patient_id(), e.protocol_id(),
           e.practitioner_id().empty() ? "any" : e.practitioner_id(), FormatDate(e.earliest_date()),
           FormatDate(e.latest_date()), times.empty() ? "any" : times,
           FormatTime(e.create_time(), ctx.ClinicZone(e.clinic_id()))});
  }
  t.Print(ctx.out(), "no waitlist entries");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Delete(Context& ctx, const Args& args) {
  sv1::DeleteWaitlistEntryRequest req;
  req.set_id(args.arg(0));
  req.set_etag(args.Get("etag"));
  google::protobuf::Empty empty;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().DeleteWaitlistEntry(c, req, &empty);
  }));
  ctx.out() << "waitlist entry " << req.id() << " deleted\n";
  return absl::OkStatus();
}

void PrintOffers(Context& ctx,
                 const google::protobuf::RepeatedPtrField<sv1::WaitlistOffer>& offers) {
  Table t({"ID", "STATE", "ENTRY", "PATIENT", "START", "PRACTITIONER", "ROOM", "HELD UNTIL"});
  for (const auto& o : offers) {
    const absl::TimeZone zone = ctx.ClinicZone(o.clinic_id());
    t.Row({o.id(), Label(o.state()), o.entry_id(), o.patient_id(), FormatTime(o.start_time(), zone),
           o.practitioner_id(), o.room_id(), FormatTime(o.hold_until(), zone)});
  }
  t.Print(ctx.out(), "no offers");
}

absl::Status Offers(Context& ctx, const Args& args) {
  sv1::ListWaitlistOffersRequest req;
  req.set_entry_id(args.Get("entry"));
  req.set_slot_id(args.Get("slot"));
  req.set_page_token(args.Get("page_token"));
  sv1::ListWaitlistOffersResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().ListWaitlistOffers(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  PrintOffers(ctx, resp.offers());
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Accept(Context& ctx, const Args& args) {
  sv1::AcceptWaitlistOfferRequest req;
  req.set_offer_id(args.arg(0));
  sv1::Appointment a;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().AcceptWaitlistOffer(c, req, &a);
  }));
  if (ctx.structured()) return ctx.PrintMessage(a);
  ctx.out() << "booked " << a.id() << " at "
            << FormatTime(a.start_time(), ctx.ClinicZone(a.clinic_id())) << "\n";
  return absl::OkStatus();
}

absl::Status Decline(Context& ctx, const Args& args) {
  sv1::DeclineWaitlistOfferRequest req;
  req.set_offer_id(args.arg(0));
  sv1::WaitlistOffer offer;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kScheduling, [&](grpc::ClientContext* c) {
    return ctx.scheduling().DeclineWaitlistOffer(c, req, &offer);
  }));
  if (ctx.structured()) return ctx.PrintMessage(offer);
  ctx.out() << "offer " << offer.id() << " " << Label(offer.state()) << "\n";
  return absl::OkStatus();
}

}  // namespace

void RegisterWaitlistCommands(CommandSet& commands) {
  commands.Add({
      .name = "waitlist add",
      .summary = "Put a patient on the waitlist for a protocol (screens the patient first)",
      .options = {{"patient", "PATIENT_ID", "the patient"},
                  {"protocol", "PROTOCOL_ID", "the treatment wanted"},
                  {"clinic", "CLINIC_ID", "the clinic"},
                  {"practitioner", "PRACTITIONER_ID", "only this practitioner (default: any)"},
                  {"from", "YYYY-MM-DD", "first wanted day (clinic time)"},
                  {"to", "YYYY-MM-DD", "last wanted day"},
                  {"times", "HOURS", "e.g. 'mon-fri 08:00-12:00' (default: any time)"},
                  {"channel", "CHANNEL", "email, sms or in_app (default: the patient's)"},
                  {"expires", "TIME", "no offers after (default: end of --to)"},
                  {"request_id", "UUID", "idempotency key; reuse it when retrying"}},
      .required = {"patient", "protocol", "clinic", "from", "to"},
      .details = "Example:\n  dermactl waitlist add --patient=$P --protocol=$HYDRALIFT "
                 "--clinic=$BERLIN --from=2026-12-07 --to=2026-12-23 --times='mon-fri "
                 "08:00-12:00'",
      .run = Add,
  });
  commands.Add({
      .name = "waitlist list",
      .summary = "List waitlist entries, earliest first (the order offers follow)",
      .options = {{"clinic", "CLINIC_ID", "entries at this clinic"},
                  {"protocol", "PROTOCOL_ID", "entries for this protocol"},
                  {"state", "STATE", "waiting, offered, booked or expired"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = List,
  });
  commands.Add({
      .name = "waitlist delete",
      .summary = "Take an entry off the waitlist",
      .arguments = "ENTRY_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"etag", "ETAG", "only if unchanged"}},
      .run = Delete,
  });
  commands.Add({
      .name = "waitlist offers",
      .summary = "Offers made from freed slots, newest first",
      .options = {{"entry", "ENTRY_ID", "offers to this entry"},
                  {"slot", "SLOT_ID", "offers of this freed slot"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = Offers,
  });
  commands.Add({
      .name = "waitlist accept",
      .summary = "Accept an offer for the patient (on the phone): books the held slot",
      .arguments = "OFFER_ID",
      .min_args = 1,
      .max_args = 1,
      .run = Accept,
  });
  commands.Add({
      .name = "waitlist decline",
      .summary = "Decline an offer for the patient: the slot moves on",
      .arguments = "OFFER_ID",
      .min_args = 1,
      .max_args = 1,
      .run = Decline,
  });
}

}  // namespace dermaflow::dermactl
