// dermactl protocols list|show|seed.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/macros.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace prv1 = ::dermaflow::protocol::v1;

std::string Course(const prv1::CoursePlan& plan) {
  std::string sessions =
      plan.session_count() == 0
          ? "individual number of sessions"
          : absl::StrCat(plan.session_count(), " session", plan.session_count() == 1 ? "" : "s");
  if (plan.session_count() == 1) return sessions;
  return absl::StrCat(sessions, ", every ", FormatDuration(plan.interval()),
                      plan.tolerance().seconds() ? " ± " + FormatDuration(plan.tolerance()) : "");
}

std::string Maintenance(const prv1::Protocol& p) {
  if (!p.has_maintenance()) return "";
  const auto& m = p.maintenance();
  return absl::StrCat(
      "every ", m.interval_months(), " months after the course",
      m.reminder_lead().seconds() ? ", reminder " + FormatDuration(m.reminder_lead()) + " before"
                                  : "",
      m.nudge_delay().seconds() ? ", nudge " + FormatDuration(m.nudge_delay()) + " after" : "");
}

std::string Rules(const google::protobuf::RepeatedPtrField<prv1::CareRule>& rules,
                  const std::string& locale) {
  std::vector<std::string> lines;
  for (const auto& r : rules) {
    lines.push_back(absl::StrCat(r.code(), " [", Label(r.applies_when()),
                                 r.duration().seconds() ? ", " + FormatDuration(r.duration()) : "",
                                 "]: ", PickText(r.text(), locale)));
  }
  return absl::StrJoin(lines, "\n");
}

void PrintProtocol(Context& ctx, const prv1::Protocol& p, const std::string& locale) {
  std::vector<std::string> contraindications, ingredients, follow_ups;
  for (const auto& c : p.contraindications()) {
    contraindications.push_back(absl::StrCat(Label(c.code()), " (", Label(c.severity()), ")"));
  }
  for (const auto& i : p.ingredients()) {
    std::string description = PickText(i.description(), locale);
    ingredients.push_back(Label(i.substance()) + (description.empty() ? "" : ": " + description));
  }
  for (const auto& f : p.follow_ups()) {
    follow_ups.push_back(absl::StrCat(f.code(), " after ", FormatDuration(f.offset()),
                                      f.requires_visit() ? " (visit)" : "", ": ",
                                      PickText(f.text(), locale)));
  }
  Fields()
      .Add("id", p.id())
      .Add("version", absl::StrCat(p.version()))
      .Add("name", PickText(p.display_name(), locale))
      .Add("category", Label(p.category()))
      .Add("source",
           absl::StrCat(Label(p.source().origin()),
                        p.source().catalog_key().empty() ? "" : " " + p.source().catalog_key(),
                        p.source().modified() ? " (modified)" : ""))
      .Add("areas", Labels<prv1::TreatmentArea>(p.areas()))
      .Add("session", FormatDuration(p.session_duration()))
      .Add("course", Course(p.course_plan()))
      .Add("maintenance", Maintenance(p))
      .Add("physician only", p.requires_physician() ? "yes" : "")
      .Add("ingredients", absl::StrJoin(ingredients, "\n"))
      .Add("contraindications", absl::StrJoin(contraindications, ", "))
      .Add("pre-care", Rules(p.pre_care(), locale))
      .Add("aftercare", Rules(p.aftercare(), locale))
      .Add("check-in after",
           p.has_aftercare_check_in_offset() ? FormatDuration(p.aftercare_check_in_offset()) : "")
      .Add("follow-ups", absl::StrJoin(follow_ups, "\n"))
      .Add("normal effects", PickText(p.side_effects_normal(), locale))
      .Add("when to call", PickText(p.when_to_call(), locale))
      .Add("archived", p.archived() ? "yes" : "")
      .Add("updated", absl::StrCat(FormatTime(p.update_time(), ctx.display_zone()),
                                   p.updated_by().empty() ? "" : " by " + p.updated_by()))
      .Add("etag", p.etag())
      .Print(ctx.out());
}

absl::Status List(Context& ctx, const Args& args) {
  prv1::ListProtocolsRequest req;
  if (args.Has("category")) {
    DF_ASSIGN_OR_RETURN(auto c,
                        ParseEnum<prv1::ProtocolCategory>(args.Get("category"), "category"));
    req.set_category(c);
  }
  if (args.Has("area")) {
    DF_ASSIGN_OR_RETURN(auto a, ParseEnum<prv1::TreatmentArea>(args.Get("area"), "area"));
    req.set_area(a);
  }
  if (args.Has("origin")) {
    DF_ASSIGN_OR_RETURN(auto o, ParseEnum<prv1::ProtocolOrigin>(args.Get("origin"), "origin"));
    req.set_origin(o);
  }
  req.set_show_archived(args.Switch("archived"));
  req.set_page_size(args.Number("page_size"));
  req.set_page_token(args.Get("page_token"));
  prv1::ListProtocolsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kProtocol, [&](grpc::ClientContext* c) {
    return ctx.protocol().ListProtocols(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  const std::string locale = args.Get("locale", "en");
  Table t({"ID", "VERSION", "CATEGORY", "NAME", "SESSION", "COURSE", "MAINTENANCE"});
  for (const auto& p : resp.protocols()) {
    t.Row({p.id(), absl::StrCat(p.version()), Label(p.category()),
           PickText(p.display_name(), locale), FormatDuration(p.session_duration()),
           Course(p.course_plan()),
           p.has_maintenance() ? absl::StrCat(p.maintenance().interval_months(), " months") : ""});
  }
  t.Print(ctx.out(), "no protocols (seed the catalog: dermactl protocols seed)");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Show(Context& ctx, const Args& args) {
  prv1::GetProtocolRequest req;
  req.set_id(args.arg(0));
  req.set_version(args.Number("version"));
  prv1::Protocol p;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kProtocol, [&](grpc::ClientContext* c) {
    return ctx.protocol().GetProtocol(c, req, &p);
  }));
  if (ctx.structured()) return ctx.PrintMessage(p);
  PrintProtocol(ctx, p, args.Get("locale", "en"));
  return absl::OkStatus();
}

absl::Status Seed(Context& ctx, const Args& args) {
  prv1::SeedCatalogRequest req;
  for (const std::string& key : SplitList(args.Get("keys"))) req.add_catalog_keys(key);
  prv1::SeedCatalogResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kProtocol, [&](grpc::ClientContext* c) {
    return ctx.protocol().SeedCatalog(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "CATALOG KEY", "NAME"});
  for (const auto& p : resp.created()) {
    t.Row({p.id(), p.source().catalog_key(), PickText(p.display_name(), "en")});
  }
  t.Print(ctx.out(), "nothing new");
  if (resp.existing_protocol_ids_size() > 0) {
    ctx.out() << "already there: " << absl::StrJoin(resp.existing_protocol_ids(), ", ") << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterProtocolCommands(CommandSet& commands) {
  commands.Add({
      .name = "protocols list",
      .summary = "List treatment protocols (latest versions)",
      .options = {{"category", "CATEGORY", "e.g. mesotherapy, collagen_injection"},
                  {"area", "AREA", "protocols that may treat this area, e.g. face"},
                  {"origin", "catalog|organization", "built-in or the organization's own"},
                  {"archived", "", "include archived protocols"},
                  {"locale", "TAG", "language of the names (default en)"},
                  {"page_size", "N", "at most N (default 50)"},
                  {"page_token", "TOKEN", "the next page"}},
      .run = List,
  });
  commands.Add({
      .name = "protocols show",
      .summary = "Show a protocol: course plan, contraindications, care rules",
      .arguments = "PROTOCOL_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"version", "N", "a specific version (default latest)"},
                  {"locale", "TAG", "language of the texts (default en)"}},
      .run = Show,
  });
  commands.Add({
      .name = "protocols seed",
      .summary = "Give the organization the built-in protocol catalog (idempotent; clinic_admin)",
      .options = {{"keys", "KEYS", "only these catalog keys, e.g. mesotherapy_hydralift"}},
      .run = Seed,
  });
}

}  // namespace dermaflow::dermactl
