#include "tools/dermactl/context.h"

#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/dermactl/format.h"
#include "tools/dermactl/parse.h"

namespace dermaflow::dermactl {
namespace {

// The environment variable for a global option: "patient_addr" ->
// "DERMAFLOW_PATIENT_ADDR", as for the service binaries' flags.
std::string FromEnvironment(const Args& args, const std::string& name,
                            const std::string& fallback) {
  if (args.Has(name)) return args.Get(name);
  const char* value = std::getenv(("DERMAFLOW_" + absl::AsciiStrToUpper(name)).c_str());
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

absl::StatusOr<std::string> ReadFile(const std::string& path, const std::string& option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UsageError("--" + option + ": cannot read " + path);
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
      {"tls_cert", "FILE", "client certificate for mTLS (with --tls_key)"},
      {"tls_key", "FILE", "client key for mTLS"},
      {"time_zone", "ZONE", "zone for reminder and delivery times (default: local)"},
      {"timeout", "DURATION", "deadline of each call (default 10s)"},
      {"json", "", "print protobuf JSON instead of tables"},
  };
  return *options;
}

absl::StatusOr<Settings> SettingsFrom(const Args& args) {
  Settings s;
  s.patient_addr = FromEnvironment(args, "patient_addr", s.patient_addr);
  s.protocol_addr = FromEnvironment(args, "protocol_addr", s.protocol_addr);
  s.scheduling_addr = FromEnvironment(args, "scheduling_addr", s.scheduling_addr);
  s.notification_addr = FromEnvironment(args, "notification_addr", s.notification_addr);
  s.token = FromEnvironment(args, "token", "");
  s.tls_ca = FromEnvironment(args, "tls_ca", "");
  s.tls_cert = FromEnvironment(args, "tls_cert", "");
  s.tls_key = FromEnvironment(args, "tls_key", "");
  s.time_zone = FromEnvironment(args, "time_zone", "");
  std::string json = FromEnvironment(args, "json", "false");
  s.json = json != "false" && json != "0" && !json.empty();
  std::string timeout = FromEnvironment(args, "timeout", "10s");
  absl::StatusOr<absl::Duration> d = ParseDuration(timeout, "timeout");
  if (!d.ok()) return d.status();
  s.timeout = *d;
  if (s.tls_cert.empty() != s.tls_key.empty()) {
    return UsageError("--tls_cert and --tls_key go together");
  }
  for (const auto& [name, path] : {std::pair<std::string, std::string>{"tls_ca", s.tls_ca},
                                   {"tls_cert", s.tls_cert},
                                   {"tls_key", s.tls_key}}) {
    if (!path.empty() && !ReadFile(path, name).ok()) {
      return UsageError("--" + name + ": cannot read " + path);
    }
  }
  if (!s.time_zone.empty()) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(s.time_zone, &zone)) {
      return UsageError("--time_zone='" + s.time_zone + "': unknown IANA zone");
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

absl::Status Context::Call(Service service,
                           const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  grpc::ClientContext call;
  Prepare(&call);
  return Annotate(service, rpc(&call));
}

absl::Status Context::Annotate(Service service, const grpc::Status& status) const {
  if (status.ok()) return absl::OkStatus();
  static const char* kNames[] = {"patient", "protocol", "scheduling", "notification"};
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

absl::Status Context::PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  out_ << json;
  if (json.empty() || json.back() != '\n') out_ << "\n";
  return absl::OkStatus();
}

absl::Status Context::PrintJsonLine(const google::protobuf::Message& message) {
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  out_ << json << std::endl;  // flush: streams are read live by scripts
  return absl::OkStatus();
}

}  // namespace dermaflow::dermactl
