#include "tools/dermactl/context.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"
#include "tools/dermactl/yaml.h"

namespace dermaflow::dermactl {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path, const std::string& option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UsageError(Flag(option) + ": cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

const std::vector<Option>& GlobalOptions() {
  static const auto* options = new std::vector<Option>{
      {"patient_addr", "HOST:PORT", "patient service (default 127.0.0.1:50051)"},
      {"protocol_addr", "HOST:PORT", "protocol service (default 127.0.0.1:50052)"},
      {"scheduling_addr", "HOST:PORT", "scheduling service (default 127.0.0.1:50053)"},
      {"notification_addr", "HOST:PORT", "notification service (default 127.0.0.1:50054)"},
      {"token", "JWT", "access token sent as 'authorization: Bearer' (see dermactl token)"},
      {"tls_ca", "FILE", "CA to verify the services with (TLS on; default plaintext)"},
      {"tls_cert", "FILE", "client certificate for mTLS (with --tls-key)"},
      {"tls_key", "FILE", "client key for mTLS"},
      {"time_zone", "ZONE",
       "zone for reminder and delivery times (default: the reminder's clinic zone, else local)"},
      {"timeout", "DURATION", "deadline of each call (default 10s)"},
      {"output",
       "table|json|yaml",
       "output format (default table)",
       'o',
       {"table", "json", "yaml"}},
      {"json", "", "same as -o json"},
  };
  return *options;
}

absl::StatusOr<Settings> SettingsFrom(const Args& args) {
  Settings s;
  s.patient_addr = args.Get("patient_addr", s.patient_addr);
  s.protocol_addr = args.Get("protocol_addr", s.protocol_addr);
  s.scheduling_addr = args.Get("scheduling_addr", s.scheduling_addr);
  s.notification_addr = args.Get("notification_addr", s.notification_addr);
  s.token = args.Get("token");
  s.tls_ca = args.Get("tls_ca");
  s.tls_cert = args.Get("tls_cert");
  s.tls_key = args.Get("tls_key");
  s.time_zone = args.Get("time_zone");
  const std::string output = args.Get("output", args.Switch("json") ? "json" : "table");
  s.output = output == "json" ? Output::kJson : output == "yaml" ? Output::kYaml : Output::kTable;
  DF_ASSIGN_OR_RETURN(s.timeout, ParseDuration(args.Get("timeout", "10s"), "timeout"));
  if (s.tls_cert.empty() != s.tls_key.empty()) {
    return UsageError("--tls-cert and --tls-key go together");
  }
  for (const auto& [name, path] : {std::pair<std::string, std::string>{"tls_ca", s.tls_ca},
                                   {"tls_cert", s.tls_cert},
                                   {"tls_key", s.tls_key}}) {
    if (!path.empty() && !ReadFile(path, name).ok()) {
      return UsageError(Flag(name) + ": cannot read " + path);
    }
  }
  if (!s.time_zone.empty()) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(s.time_zone, &zone)) {
      return UsageError("--time-zone='" + s.time_zone + "': unknown IANA zone");
    }
  }
  return s;
}

Context::Context(Settings settings, std::ostream& out, std::ostream& err)
    : settings_(std::move(settings)),
      out_(out),
      err_(err),
      display_zone_(ZoneOr(settings_.time_zone, absl::LocalTimeZone())) {}

Context::~Context() = default;

std::shared_ptr<grpc::Channel> Context::Channel(const std::string& address) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!settings_.tls_ca.empty()) {
    grpc::SslCredentialsOptions tls;
    // SettingsFrom checked that the files are readable.
    tls.pem_root_certs = ReadFile(settings_.tls_ca, "tls_ca").value_or("");
    if (!settings_.tls_cert.empty()) {
      tls.pem_cert_chain = ReadFile(settings_.tls_cert, "tls_cert").value_or("");
      tls.pem_private_key = ReadFile(settings_.tls_key, "tls_key").value_or("");
    }
    credentials = grpc::SslCredentials(tls);
  }
  return grpc::CreateChannel(address, credentials);
}

patient::v1::PatientService::Stub& Context::patient() {
  if (!patient_) patient_ = patient::v1::PatientService::NewStub(Channel(settings_.patient_addr));
  return *patient_;
}

protocol::v1::ProtocolService::Stub& Context::protocol() {
  if (!protocol_)
    protocol_ = protocol::v1::ProtocolService::NewStub(Channel(settings_.protocol_addr));
  return *protocol_;
}

scheduling::v1::SchedulingService::Stub& Context::scheduling() {
  if (!scheduling_) {
    scheduling_ = scheduling::v1::SchedulingService::NewStub(Channel(settings_.scheduling_addr));
  }
  return *scheduling_;
}

notification::v1::NotificationService::Stub& Context::notification() {
  if (!notification_) {
    notification_ =
        notification::v1::NotificationService::NewStub(Channel(settings_.notification_addr));
  }
  return *notification_;
}

const std::string& Context::Address(Service service) const {
  switch (service) {
    case Service::kPatient:
      return settings_.patient_addr;
    case Service::kProtocol:
      return settings_.protocol_addr;
    case Service::kScheduling:
      return settings_.scheduling_addr;
    case Service::kNotification:
      break;
  }
  return settings_.notification_addr;
}

void Context::Prepare(grpc::ClientContext* call, bool with_deadline) const {
  if (with_deadline) call->set_deadline(absl::ToChronoTime(absl::Now() + settings_.timeout));
  if (!settings_.token.empty()) call->AddMetadata("authorization", "Bearer " + settings_.token);
}

absl::TimeZone Context::ClinicZone(const std::string& clinic_id) {
  if (!settings_.time_zone.empty() || clinic_id.empty()) return display_zone_;
  auto it = clinic_zones_.find(clinic_id);
  if (it == clinic_zones_.end()) {
    scheduling::v1::GetClinicRequest req;
    req.set_id(clinic_id);
    scheduling::v1::Clinic clinic;
    const absl::Status read = Call(Service::kScheduling, [&](grpc::ClientContext* c) {
      return scheduling().GetClinic(c, req, &clinic);
    });
    // Unreadable (a role without clinic access, scheduling down): the times
    // still print, in display_zone() and with its abbreviation.
    it = clinic_zones_
             .emplace(clinic_id,
                      read.ok() ? ZoneOr(clinic.time_zone(), display_zone_) : display_zone_)
             .first;
  }
  return it->second;
}

absl::Status Context::Call(Service service,
                           const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  grpc::ClientContext call;
  Prepare(&call);
  return Annotate(service, rpc(&call));
}

absl::Status Context::Annotate(Service service, const grpc::Status& status) const {
  if (status.ok()) return absl::OkStatus();
  static constexpr const char* kNames[] = {"patient", "protocol", "scheduling", "notification"};
  // Rebuilt by hand rather than with common::FromGrpcStatus so dermactl links
  // only protos, grpc++ and the JWT minter.
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  result.SetPayload(kTargetPayload, absl::Cord(absl::StrCat(kNames[static_cast<int>(service)],
                                                            " service at ", Address(service))));
  return result;
}

absl::Status Context::PrintMessage(const google::protobuf::Message& message) {
  std::string text;
  if (settings_.output == Output::kYaml) {
    DF_ASSIGN_OR_RETURN(text, MessageToYaml(message));
  } else {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    auto status = google::protobuf::util::MessageToJsonString(message, &text, options);
    if (!status.ok()) return absl::InternalError(std::string(status.message()));
  }
  out_ << text;
  if (text.empty() || text.back() != '\n') out_ << "\n";
  return absl::OkStatus();
}

absl::Status Context::PrintStreamed(const google::protobuf::Message& message) {
  std::string text;
  if (settings_.output == Output::kYaml) {
    DF_ASSIGN_OR_RETURN(text, MessageToYaml(message));
    text = "---\n" + text;
  } else {
    auto status = google::protobuf::util::MessageToJsonString(message, &text);
    if (!status.ok()) return absl::InternalError(std::string(status.message()));
    text += "\n";
  }
  out_ << text << std::flush;  // streams are read live by scripts
  return absl::OkStatus();
}

}  // namespace dermaflow::dermactl
