// dermactl patients create|show|list|screen|delete|consent.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "google/protobuf/empty.pb.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/table.h"

namespace dermaflow::dermactl {
namespace {

namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;

std::string YesNo(bool has, bool value) { return has ? (value ? "yes" : "no") : "not asked"; }

std::string Contact(const pv1::Patient& p) {
  std::vector<std::string> parts;
  if (!p.contact().email().empty()) parts.push_back(p.contact().email());
  if (!p.contact().phone().empty()) parts.push_back(p.contact().phone());
  return absl::StrJoin(parts, ", ");
}

std::string Consents(const pv1::Patient& p, const absl::TimeZone& zone) {
  std::vector<std::string> parts;
  for (const auto& c : p.consents()) {
    parts.push_back(absl::StrCat(Label(c.channel()), " ", Label(c.state()),
                                 c.changed_by().empty() ? "" : " by " + c.changed_by(), " ",
                                 FormatTime(c.change_time(), zone)));
  }
  return absl::StrJoin(parts, "\n");
}

std::string Allergies(const pv1::MedicalProfile& m) {
  if (!m.has_has_allergies()) return "not asked";
  if (!m.has_allergies()) return "none";
  std::vector<std::string> parts;
  for (const auto& a : m.allergies()) {
    parts.push_back(Label(a.substance()) +
                    (a.free_text().empty() ? "" : " (" + a.free_text() + ")"));
  }
  return absl::StrJoin(parts, ", ");
}

void PrintPatient(Context& ctx, const pv1::Patient& p) {
  const absl::TimeZone zone = ZoneOr(p.time_zone(), ctx.display_zone());
  Fields f;
  f.Add("id", p.id())
      .Add("name", absl::StrCat(p.given_name(), " ", p.family_name()))
      .Add("birth date", FormatDate(p.birth_date()))
      .Add("locale", p.locale())
      .Add("time zone", p.time_zone())
      .Add("contact", Contact(p))
      .Add("preferred", p.preferred_channel() ? Label(p.preferred_channel()) : "")
      .Add("consents", Consents(p, zone))
      .Add("quiet hours", p.has_quiet_hours()
                              ? absl::StrCat(FormatTimeOfDay(p.quiet_hours().start()), "-",
                                             FormatTimeOfDay(p.quiet_hours().end()))
                              : "")
      .Add("home clinic", p.home_clinic_id());
  if (p.has_medical_profile()) {
    const pv1::MedicalProfile& m = p.medical_profile();
    f.Add("pregnant", YesNo(m.has_pregnant(), m.pregnant()))
        .Add("breastfeeding", YesNo(m.has_breastfeeding(), m.breastfeeding()))
        .Add("diabetes", YesNo(m.has_diabetes(), m.diabetes()))
        .Add("cancer treatment", YesNo(m.has_cancer_treatment(), m.cancer_treatment()))
        .Add("epilepsy", YesNo(m.has_epilepsy(), m.epilepsy()))
        .Add("anticoagulants", YesNo(m.has_anticoagulants(), m.anticoagulants()))
        .Add("allergies", Allergies(m))
        .Add("profile updated",
             absl::StrCat(FormatTime(m.update_time(), zone),
                          m.updated_by().empty() ? "" : " by " + m.updated_by()));
  }
  f.Add("created", FormatTime(p.create_time(), zone))
      .Add("updated", FormatTime(p.update_time(), zone))
      .Add("etag", p.etag());
  f.Print(ctx.out());
}

absl::Status PrintOrMessage(Context& ctx, const pv1::Patient& p) {
  if (ctx.structured()) return ctx.PrintMessage(p);
  PrintPatient(ctx, p);
  return absl::OkStatus();
}

// The medical profile from --pregnant ... --allergies; false when none given.
absl::StatusOr<bool> MedicalProfileFrom(const Args& args, pv1::MedicalProfile* m) {
  bool any = false;
  struct Fact {
    const char* option;
    void (pv1::MedicalProfile::*set)(bool);
  };
  static const Fact kFacts[] = {
      {"pregnant", &pv1::MedicalProfile::set_pregnant},
      {"breastfeeding", &pv1::MedicalProfile::set_breastfeeding},
      {"diabetes", &pv1::MedicalProfile::set_diabetes},
      {"cancer_treatment", &pv1::MedicalProfile::set_cancer_treatment},
      {"epilepsy", &pv1::MedicalProfile::set_epilepsy},
      {"anticoagulants", &pv1::MedicalProfile::set_anticoagulants},
  };
  for (const Fact& fact : kFacts) {
    if (!args.Has(fact.option)) continue;
    DF_ASSIGN_OR_RETURN(bool value, ParseYesNo(args.Get(fact.option), fact.option));
    (m->*fact.set)(value);
    any = true;
  }
  if (args.Has("allergies")) {
    any = true;
    const std::string text = args.Get("allergies");
    m->set_has_allergies(text != "none");
    if (text != "none") {
      DF_ASSIGN_OR_RETURN(auto substances, ParseEnumList<pv1::AllergySubstance>(text, "allergies"));
      for (auto s : substances) m->add_allergies()->set_substance(s);
    }
  }
  if (args.Has("skin_type")) {
    any = true;
    DF_ASSIGN_OR_RETURN(auto type,
                        ParseEnum<pv1::FitzpatrickSkinType>(args.Get("skin_type"), "skin_type"));
    m->set_fitzpatrick_skin_type(type);
  }
  return any;
}

absl::Status Create(Context& ctx, const Args& args) {
  pv1::CreatePatientRequest req;
  req.set_request_id(args.Get("request_id", NewRequestId()));
  pv1::Patient* p = req.mutable_patient();
  p->set_given_name(args.Get("given_name"));
  p->set_family_name(args.Get("family_name"));
  DF_ASSIGN_OR_RETURN(absl::CivilDay born, ParseDay(args.Get("birth_date"), "birth_date"));
  *p->mutable_birth_date() = ToDate(born);
  p->set_locale(args.Get("locale"));
  p->set_time_zone(args.Get("time_zone"));
  p->mutable_contact()->set_email(args.Get("email"));
  p->mutable_contact()->set_phone(args.Get("phone"));
  p->set_home_clinic_id(args.Get("home_clinic"));
  if (args.Has("preferred_channel")) {
    DF_ASSIGN_OR_RETURN(
        auto channel, ParseEnum<pv1::Channel>(args.Get("preferred_channel"), "preferred_channel"));
    p->set_preferred_channel(channel);
  }
  DF_ASSIGN_OR_RETURN(auto consents, ParseEnumList<pv1::Channel>(args.Get("consent"), "consent"));
  for (auto channel : consents) {
    auto* c = p->add_consents();
    c->set_channel(channel);
    c->set_state(pv1::CONSENT_STATE_GIVEN);
    c->set_reason(args.Get("consent_reason", "registration form"));
  }
  if (args.Has("quiet_hours")) {
    std::vector<std::string> window = absl::StrSplit(args.Get("quiet_hours"), '-');
    if (window.size() != 2) return UsageError("--quiet-hours: expected HH:MM-HH:MM");
    DF_ASSIGN_OR_RETURN(*p->mutable_quiet_hours()->mutable_start(),
                        ParseTimeOfDay(window[0], "quiet_hours"));
    DF_ASSIGN_OR_RETURN(*p->mutable_quiet_hours()->mutable_end(),
                        ParseTimeOfDay(window[1], "quiet_hours"));
  }
  pv1::MedicalProfile profile;
  DF_ASSIGN_OR_RETURN(bool has_profile, MedicalProfileFrom(args, &profile));
  if (has_profile) *p->mutable_medical_profile() = profile;

  pv1::Patient created;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
    return ctx.patient().CreatePatient(c, req, &created);
  }));
  return PrintOrMessage(ctx, created);
}

absl::Status Show(Context& ctx, const Args& args) {
  pv1::GetPatientRequest req;
  req.set_id(args.arg(0));
  req.set_view(args.Switch("full") ? pv1::PATIENT_VIEW_FULL : pv1::PATIENT_VIEW_BASIC);
  pv1::Patient p;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
    return ctx.patient().GetPatient(c, req, &p);
  }));
  return PrintOrMessage(ctx, p);
}

absl::Status List(Context& ctx, const Args& args) {
  pv1::ListPatientsRequest req;
  req.set_family_name_prefix(args.Get("family_name_prefix"));
  req.set_phone(args.Get("phone"));
  req.set_email(args.Get("email"));
  req.set_home_clinic_id(args.Get("home_clinic"));
  req.set_page_size(args.Number("page_size"));
  req.set_page_token(args.Get("page_token"));
  pv1::ListPatientsResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
    return ctx.patient().ListPatients(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Table t({"ID", "NAME", "BORN", "LOCALE", "CONTACT", "HOME CLINIC"});
  for (const auto& p : resp.patients()) {
    t.Row({p.id(), absl::StrCat(p.family_name(), ", ", p.given_name()), FormatDate(p.birth_date()),
           p.locale(), Contact(p), p.home_clinic_id()});
  }
  t.Print(ctx.out(), "no patients");
  PrintNextPage(ctx.out(), resp.next_page_token());
  return absl::OkStatus();
}

absl::Status Screen(Context& ctx, const Args& args) {
  prv1::ScreenEligibilityRequest req;
  req.set_patient_id(args.arg(0));
  req.set_protocol_id(args.Get("protocol"));
  req.set_protocol_version(args.Number("version"));
  DF_ASSIGN_OR_RETURN(auto areas, ParseEnumList<prv1::TreatmentArea>(args.Get("areas"), "areas"));
  for (auto a : areas) req.add_areas(a);
  req.set_locale(args.Get("locale"));
  if (args.Has("date")) {
    DF_ASSIGN_OR_RETURN(absl::CivilDay day, ParseDay(args.Get("date"), "date"));
    *req.mutable_treatment_date() = ToDate(day);
  }
  prv1::ScreenEligibilityResponse resp;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kProtocol, [&](grpc::ClientContext* c) {
    return ctx.protocol().ScreenEligibility(c, req, &resp);
  }));
  if (ctx.structured()) return ctx.PrintMessage(resp);
  Fields()
      .Add("eligible", resp.eligible() ? "yes" : "no")
      .Add("needs override",
           resp.requires_override() ? "yes (a practitioner must acknowledge the warnings)" : "no")
      .Add("protocol version", absl::StrCat(resp.protocol_version()))
      .Add("profile updated", FormatTime(resp.medical_profile_update_time(), ctx.display_zone()))
      .Print(ctx.out());
  Table t({"FINDING", "CODE", "SEVERITY", "FIELD", "MESSAGE"});
  auto add = [&](const prv1::ScreeningFinding& f, const char* kind) {
    t.Row({f.unanswered() ? std::string(kind) + " (not asked)" : kind, Label(f.code()),
           Label(f.severity()), f.field(), f.message()});
  };
  for (const auto& f : resp.blocking_reasons()) add(f, "blocking");
  for (const auto& f : resp.warnings()) add(f, "warning");
  ctx.out() << "\n";
  t.Print(ctx.out(), "no findings");
  return absl::OkStatus();
}

absl::Status Delete(Context& ctx, const Args& args) {
  pv1::DeletePatientRequest req;
  req.set_id(args.arg(0));
  req.set_reason(args.Get("reason"));
  req.set_etag(args.Get("etag"));
  if (req.etag().empty()) {  // confirm the record as it is now
    pv1::GetPatientRequest get;
    get.set_id(req.id());
    pv1::Patient p;
    DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
      return ctx.patient().GetPatient(c, get, &p);
    }));
    req.set_etag(p.etag());
  }
  google::protobuf::Empty empty;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
    return ctx.patient().DeletePatient(c, req, &empty);
  }));
  if (ctx.structured()) return ctx.PrintMessage(empty);
  ctx.out() << "erased patient " << req.id()
            << " (personal data deleted; reminders are cancelled by the notification service)\n";
  return absl::OkStatus();
}

absl::Status Consent(Context& ctx, const Args& args) {
  pv1::SetConsentRequest req;
  req.set_patient_id(args.arg(0));
  DF_ASSIGN_OR_RETURN(auto channel, ParseEnum<pv1::Channel>(args.Get("channel"), "channel"));
  DF_ASSIGN_OR_RETURN(auto state, ParseEnum<pv1::ConsentState>(args.Get("state"), "state"));
  req.set_channel(channel);
  req.set_state(state);
  req.set_reason(args.Get("reason"));
  req.set_etag(args.Get("etag"));
  pv1::Patient p;
  DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
    return ctx.patient().SetConsent(c, req, &p);
  }));
  return PrintOrMessage(ctx, p);
}

}  // namespace

void RegisterPatientCommands(CommandSet& commands) {
  commands.Add({
      .name = "patients create",
      .summary = "Register a new patient",
      .options = {{"given_name", "TEXT", "given (first) name(s)"},
                  {"family_name", "TEXT", "family (last) name(s)"},
                  {"birth_date", "YYYY-MM-DD", "date of birth"},
                  {"locale", "TAG", "language of everything sent, e.g. de, en, de-AT"},
                  {"time_zone", "ZONE", "the patient's IANA zone (default: the clinic's)"},
                  {"email", "ADDRESS", "e-mail address"},
                  {"phone", "E164", "mobile number, e.g. +4915112345678"},
                  {"preferred_channel", "CHANNEL", "email, sms or in_app"},
                  {"consent", "CHANNELS", "channels the patient agreed to, e.g. email,in_app"},
                  {"consent_reason", "TEXT", "how consent was given (default 'registration form')"},
                  {"quiet_hours", "HH:MM-HH:MM", "no reminders then (00:00-00:00: none at all)"},
                  {"home_clinic", "CLINIC_ID", "the clinic the patient usually visits"},
                  {"pregnant", "yes|no", "medical profile (needs a practitioner token)"},
                  {"breastfeeding", "yes|no", ""},
                  {"diabetes", "yes|no", ""},
                  {"cancer_treatment", "yes|no", "ongoing cancer treatment"},
                  {"epilepsy", "yes|no", ""},
                  {"anticoagulants", "yes|no", "takes blood thinners"},
                  {"allergies", "none|SUBSTANCES", "e.g. none, or arnica,lidocaine"},
                  {"skin_type", "I..VI", "Fitzpatrick skin type"},
                  {"request_id", "UUID", "idempotency key; reuse it when retrying"}},
      .required = {"given_name", "family_name", "birth_date", "locale"},
      .details = "Example:\n  dermactl patients create --given-name=Anna --family-name=Müller "
                 "--birth-date=1988-04-12 \\\n    --locale=de --email=anna@example.org "
                 "--consent=email,in_app --preferred-channel=in_app \\\n    --pregnant=no "
                 "--breastfeeding=no --diabetes=no --cancer-treatment=no --epilepsy=no "
                 "--anticoagulants=no --allergies=none",
      .run = Create,
  });
  commands.Add({
      .name = "patients show",
      .summary = "Show one patient (--full: with the medical profile, audited)",
      .arguments = "PATIENT_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"full", "", "include the medical profile (practitioner token; audited)"}},
      .run = Show,
  });
  commands.Add({
      .name = "patients list",
      .summary = "List patients by family name, phone, e-mail or home clinic",
      .options = {{"family_name_prefix", "TEXT", "at least 2 characters; 'mul' finds Müller"},
                  {"phone", "E164", "exact phone number"},
                  {"email", "ADDRESS", "exact e-mail address"},
                  {"home_clinic", "CLINIC_ID", "patients of this clinic"},
                  {"page_size", "N", "at most N (default 50)"},
                  {"page_token", "TOKEN", "the next page, as printed by the previous list"}},
      .run = List,
  });
  commands.Add({
      .name = "patients screen",
      .summary = "Screen a patient for a protocol's contraindications",
      .arguments = "PATIENT_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"protocol", "PROTOCOL_ID", "the protocol to screen for"},
                  {"version", "N", "protocol version (default latest)"},
                  {"areas", "AREAS", "areas to treat, e.g. face,neck (default all)"},
                  {"locale", "TAG", "language of the findings (default the patient's)"},
                  {"date", "YYYY-MM-DD", "date of the first session (default today)"}},
      .required = {"protocol"},
      .run = Screen,
  });
  commands.Add({
      .name = "patients delete",
      .summary = "Erase a patient (GDPR Art. 17; irreversible; clinic_admin)",
      .arguments = "PATIENT_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"reason", "TEXT", "why, kept in the tombstone (no medical information)"},
                  {"etag", "ETAG", "the record as confirmed (default: the current one)"}},
      .required = {"reason"},
      .run = Delete,
  });
  commands.Add({
      .name = "patients consent",
      .summary = "Record that a patient gave or withdrew consent for a channel",
      .arguments = "PATIENT_ID",
      .min_args = 1,
      .max_args = 1,
      .options = {{"channel", "CHANNEL", "email, sms or in_app"},
                  {"state", "given|withdrawn", "the new state"},
                  {"reason", "TEXT", "how or why, kept as proof"},
                  {"etag", "ETAG", "fail if the patient changed since"}},
      .required = {"channel", "state"},
      .run = Consent,
  });
}

}  // namespace dermaflow::dermactl
