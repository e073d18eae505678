// What every dermactl command works with: the global options (service
// addresses, token, TLS, output format), stubs for the four services, and
// one way to make a call (deadline + bearer token, status with details).
//
//   v1::Patient patient;
//   DF_RETURN_IF_ERROR(ctx.Call(Service::kPatient, [&](grpc::ClientContext* c) {
//     return ctx.patient().GetPatient(c, request, &patient);
//   }));
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tools/dermactl/cli.h"

namespace dermaflow::dermactl {

enum class Service { kPatient, kProtocol, kScheduling, kNotification };

// -o: tables and key/value blocks for people, or the API's messages as they
// are (protobuf JSON, or the same as YAML) for scripts.
enum class Output { kTable, kJson, kYaml };

// Global options: flag, else DERMAFLOW_<FLAG> from the environment, else the
// default.
struct Settings {
  std::string patient_addr = "127.0.0.1:50051";
  std::string protocol_addr = "127.0.0.1:50052";
  std::string scheduling_addr = "127.0.0.1:50053";
  std::string notification_addr = "127.0.0.1:50054";
  std::string token;
  std::string tls_ca;    // verify servers (TLS on); empty = plaintext
  std::string tls_cert;  // client certificate for mTLS
  std::string tls_key;
  std::string time_zone;  // zone for times without one of their own
  Output output = Output::kTable;
  absl::Duration timeout = absl::Seconds(10);
};

// The options accepted by every command.
const std::vector<Option>& GlobalOptions();
absl::StatusOr<Settings> SettingsFrom(const Args& args);

// Payload on a failed call's status naming the service and address, for hints.
inline constexpr char kTargetPayload[] = "dermactl/target";

class Context {
 public:
  Context(Settings settings, std::ostream& out, std::ostream& err);
  ~Context();

  const Settings& settings() const { return settings_; }
  // -o json or -o yaml: print the API message itself (PrintMessage).
  bool structured() const { return settings_.output != Output::kTable; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  // Zone for instants that carry none (reminders, deliveries).
  const absl::TimeZone& display_zone() const { return display_zone_; }
  // The zone reception thinks in for something at `clinic_id`: the clinic's
  // own (GetClinic, once per clinic), unless --time-zone says otherwise;
  // display_zone() when there is no clinic or it cannot be read.
  absl::TimeZone ClinicZone(const std::string& clinic_id);

  patient::v1::PatientService::Stub& patient();
  protocol::v1::ProtocolService::Stub& protocol();
  scheduling::v1::SchedulingService::Stub& scheduling();
  notification::v1::NotificationService::Stub& notification();

  // Adds the bearer token and, when `with_deadline`, the --timeout deadline.
  void Prepare(grpc::ClientContext* call, bool with_deadline = true) const;
  // One unary call; a failure keeps the google.rpc details and names the
  // service it went to.
  absl::Status Call(Service service, const std::function<grpc::Status(grpc::ClientContext*)>& rpc);
  // The status of a finished stream, annotated like Call's.
  absl::Status Annotate(Service service, const grpc::Status& status) const;

  // The message as -o asks: pretty protobuf JSON or YAML (one document).
  absl::Status PrintMessage(const google::protobuf::Message& message);
  // One message of a stream, flushed: a JSON line or a `---` YAML document.
  absl::Status PrintStreamed(const google::protobuf::Message& message);

 private:
  std::shared_ptr<grpc::Channel> Channel(const std::string& address);
  const std::string& Address(Service service) const;

  Settings settings_;
  std::ostream& out_;
  std::ostream& err_;
  absl::TimeZone display_zone_;
  std::map<std::string, absl::TimeZone> clinic_zones_;
  std::unique_ptr<patient::v1::PatientService::Stub> patient_;
  std::unique_ptr<protocol::v1::ProtocolService::Stub> protocol_;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<notification::v1::NotificationService::Stub> notification_;
};

}  // namespace dermaflow::dermactl
