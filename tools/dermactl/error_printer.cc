#include "tools/dermactl/error_printer.h"

#include <map>
#include <ostream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/yaml.h"

namespace dermaflow::dermactl {
namespace {

constexpr char kTypePrefix[] = "type.googleapis.com/";

// What to do about a failed precondition, by PreconditionFailure type.
const std::map<std::string, std::string>& ViolationHints() {
  static const auto* hints = new std::map<std::string, std::string>{
      {"OUTSIDE_OPENING_HOURS", "pick a start from `dermactl slots`"},
      {"CLINIC_CLOSED", "pick another day: `dermactl slots`"},
      {"OUTSIDE_WORKING_HOURS", "pick a start from `dermactl slots --practitioner ...`"},
      {"PRACTITIONER_TIME_OFF", "pick another time or practitioner: `dermactl slots`"},
      {"PRACTITIONER_NOT_AT_CLINIC",
       "choose a practitioner of this clinic: `dermactl practitioners list --clinic ...`"},
      {"PRACTITIONER_NOT_QUALIFIED",
       "choose a qualified practitioner: `dermactl practitioners list --category ...`"},
      {"PHYSICIAN_REQUIRED", "this protocol needs a physician: `dermactl practitioners list`"},
      {"ROOM_NOT_SUITABLE", "choose another room, or leave --room out to let the server pick one"},
      {"ARCHIVED", "the resource is archived and cannot be booked"},
      {"CONTRAINDICATION",
       "the patient must not receive this treatment; this cannot be overridden"},
      {"OVERRIDE_REQUIRED",
       "a practitioner must confirm the warnings: add --override-reason='...' --acknowledge=CODES"},
      {"OVERRIDE_INCOMPLETE", "acknowledge every warning code with --acknowledge"},
      {"NO_SLOT_IN_TOLERANCE",
       "try another first start or practitioner; --validate-only shows the plan"},
      {"COURSE_SESSION_TAKEN", "that session is booked or done: `dermactl course show ID`"},
      {"APPOINTMENT_STATE",
       "not possible in the appointment's state: `dermactl appointments show ID`"},
      {"COURSE_STATE", "not possible in the course's state: `dermactl course show ID`"},
      {"TOO_EARLY", "check-in opens on the appointment's day, completion at its start time"},
      {"REMINDER_STATE", "not possible in the reminder's state: `dermactl reminders show ID`"},
  };
  return *hints;
}

// "dermaflow.scheduling.v1.Practitioner" -> "practitioners".
std::string ListCommandFor(const std::string& resource_type) {
  std::string kind = resource_type.substr(resource_type.rfind('.') + 1);
  if (kind == "Patient") return "dermactl patients list";
  if (kind == "Protocol") return "dermactl protocols list";
  if (kind == "Clinic") return "dermactl clinics list";
  if (kind == "Practitioner") return "dermactl practitioners list";
  if (kind == "Room") return "dermactl rooms list";
  if (kind == "Appointment") return "dermactl appointments list --patient ...";
  if (kind == "Course") return "dermactl course list --patient ...";
  if (kind == "Reminder") return "dermactl reminders list";
  return "";
}

// "patient.contact.phone" or "areas[1]" -> the option of this command that
// sets it, if any.
std::string OptionFor(const std::string& field, const Command& command) {
  std::string last = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
  last = last.substr(0, last.find('['));
  for (const Option& o : command.options) {
    if (o.name == last) return Flag(o.name);
  }
  return "";
}

std::string GeneralHint(absl::StatusCode code, const std::string& target) {
  switch (code) {
    case absl::StatusCode::kUnavailable: {
      const std::string service = target.substr(0, target.find(' '));  // "patient"
      const std::string flag = service + "_addr";
      return absl::StrCat("is the ", target, " running? ./dev up starts the suite; else point ",
                          Flag(flag), " or DERMAFLOW_", absl::AsciiStrToUpper(flag),
                          " at it (a TLS service also needs --tls-ca). Retrying is safe "
                          "(creates: same --request-id).");
    }
    case absl::StatusCode::kUnauthenticated:
      return "pass an access token with --token or DERMAFLOW_TOKEN; for a local suite: "
             "export DERMAFLOW_TOKEN=$(dermactl token "
             "--jwt-hs256-key-file=.run/keys/jwt_hs256.key)";
    case absl::StatusCode::kPermissionDenied:
      return "the token's roles do not allow this; mint one with the needed --roles "
             "(practitioner completes treatments, clinic_admin manages clinics and erasure, ops "
             "the queue)";
    case absl::StatusCode::kInvalidArgument:
      return "fix the fields named above and run again";
    case absl::StatusCode::kAborted:
      return "it changed meanwhile: show it again and repeat (leave --etag out to use the "
             "current one)";
    case absl::StatusCode::kDeadlineExceeded:
      return "no answer within --timeout: the outcome is unknown; check, then retry";
    case absl::StatusCode::kUnimplemented:
      return "the service at that address does not implement this call (yet)";
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
      return "a server error; report it with the time of the call and the service log";
    default:
      return "";
  }
}

void PrintFinding(const protocol::v1::ScreeningFinding& f, const char* kind, std::ostream& err) {
  err << "  " << kind << " " << Label(f.code()) << ": " << f.message();
  if (!f.field().empty())
    err << " [" << f.field() << (f.unanswered() ? ", not yet asked" : "") << "]";
  err << "\n";
}

// -o json / -o yaml: the error as a google.rpc.Status document on stderr.
void PrintStatusMessage(const absl::Status& status, Context& ctx) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    if (!absl::StartsWith(type_url, kTypePrefix)) return;
    auto* any = rpc.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(rpc, &json).ok()) {
    rpc.clear_details();  // a detail type this binary does not know
    (void)google::protobuf::util::MessageToJsonString(rpc, &json);
  }
  if (ctx.settings().output == Output::kYaml) {
    google::protobuf::Value value;
    if (google::protobuf::util::JsonStringToMessage(json, &value).ok()) {
      ctx.err() << ValueToYaml(value);
      return;
    }
  }
  ctx.err() << json << "\n";
}

}  // namespace

void PrintError(const absl::Status& status, const Command& command, Context& ctx) {
  if (ctx.structured()) {
    PrintStatusMessage(status, ctx);
    return;
  }
  std::ostream& err = ctx.err();
  std::string target;
  if (auto t = status.GetPayload(kTargetPayload)) target = std::string(*t);
  err << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message();
  if (!target.empty()) err << "  (" << target << ")";
  err << "\n";

  std::vector<std::string> hints;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    const std::string bytes(payload);
    const std::string type(absl::StripPrefix(type_url, kTypePrefix));
    if (type == "google.rpc.BadRequest") {
      google::rpc::BadRequest bad;
      bad.ParseFromString(bytes);
      for (const auto& v : bad.field_violations()) {
        std::string option = OptionFor(v.field(), command);
        err << "  field " << v.field() << ": " << v.description()
            << (option.empty() ? "" : "  (option " + option + ")") << "\n";
      }
    } else if (type == "google.rpc.PreconditionFailure") {
      google::rpc::PreconditionFailure failure;
      failure.ParseFromString(bytes);
      for (const auto& v : failure.violations()) {
        err << "  violation " << v.type() << " " << v.subject() << ": " << v.description() << "\n";
        auto hint = ViolationHints().find(v.type());
        if (hint != ViolationHints().end()) hints.push_back(hint->second);
      }
    } else if (type == "google.rpc.ResourceInfo") {
      google::rpc::ResourceInfo info;
      info.ParseFromString(bytes);
      err << "  resource " << info.resource_type() << " '" << info.resource_name() << "'"
          << (info.description().empty() ? "" : ": " + info.description()) << "\n";
      std::string list = ListCommandFor(info.resource_type());
      if (status.code() == absl::StatusCode::kNotFound && !list.empty()) {
        hints.push_back("check the id: `" + list + "`");
      }
    } else if (type == "google.rpc.ErrorInfo") {
      google::rpc::ErrorInfo info;
      info.ParseFromString(bytes);
      err << "  reason " << info.reason();
      for (const auto& [key, value] : info.metadata()) err << " " << key << "=" << value;
      err << "\n";
      if (info.reason() == "SLOT_CONFLICT") {
        hints.push_back("that time is taken: find a free one with `dermactl slots`");
      } else if (info.reason() == "PATIENT_ERASED") {
        hints.push_back("the patient was erased; nothing more can be done for them");
      }
    } else if (type == "dermaflow.protocol.v1.ScreenEligibilityResponse") {
      protocol::v1::ScreenEligibilityResponse screening;
      screening.ParseFromString(bytes);
      for (const auto& f : screening.blocking_reasons()) PrintFinding(f, "blocking", err);
      for (const auto& f : screening.warnings()) PrintFinding(f, "warning", err);
    } else if (absl::StartsWith(type_url, kTypePrefix)) {
      err << "  detail " << type << "\n";
    }
  });
  if (hints.empty()) hints.push_back(GeneralHint(status.code(), target));
  std::set<std::string> printed;
  for (const std::string& hint : hints) {
    if (!hint.empty() && printed.insert(hint).second) err << "hint: " << hint << "\n";
  }
}

}  // namespace dermaflow::dermactl
