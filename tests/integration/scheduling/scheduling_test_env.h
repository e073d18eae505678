// Shared by the scheduling integration tests: a real redis-server, the real
// dermaflow-patient and dermaflow-protocol binaries as processes, and the
// scheduling service in-process (so tests move its FakeClock) on a real gRPC
// server, all with JWT auth (HS256 key file; tokens minted per organization,
// roles and subject). Helpers set up an organization's clinic, practitioners
// and rooms, create patients, read the tenant's event stream and decode
// error details.
//
//   SchedulingEnv env;
//   Organization org = env.SetUpOrganization("clinic-a");
//   std::string patient = env.CreatePatient("clinic-a");
//   grpc::Status s = env.scheduling().BookAppointment(env.Ctx(org.practitioner_token).get(), ...);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/service_token_source.h"
#include "common/clients/caching_protocol_client.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/client_context.h"
#include "prometheus/registry.h"
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/app/confirmations/confirmation_metrics.h"
#include "services/scheduling/app/scheduling_metrics.h"
#include "services/scheduling/store/redis_appointment_store.h"
#include "services/scheduling/store/redis_resource_store.h"
#include "services/scheduling/store/redis_waitlist_store.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/test_server.h"

namespace dermaflow::scheduling::testing {

// What SetUpOrganization creates: a Berlin clinic open Mon-Fri 08:00-19:00
// with a 10 min buffer, two rooms, practitioner "Dr. Weber" (subject
// "dr-weber", physician, mesotherapy + collagen injection, Mon-Fri
// 08:00-19:00), and the catalog protocols' ids.
struct Organization {
  std::string org;
  std::string admin_token;         // clinic_admin
  std::string practitioner_token;  // practitioner, subject dr-weber
  std::string reception_token;     // reception
  std::string clinic_id;
  std::string practitioner_id;
  std::vector<std::string> room_ids;  // sorted: the order the server tries them
  std::string hydralift_id;
  std::string collagen_id;
};

class SchedulingEnv {
 public:
  SchedulingEnv();
  ~SchedulingEnv();

  std::string Token(const std::string& org, std::vector<std::string> roles,
                    const std::string& subject = "dr-weber") const;
  // A context with a 20 s deadline carrying `token`.
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token);

  Organization SetUpOrganization(const std::string& org);
  // Another practitioner at the organization's clinic (same hours/skills).
  std::string AddPractitioner(const Organization& o, const std::string& name,
                              const std::string& subject = "");
  // A patient who answered every screening question "no", then `edit`.
  std::string CreatePatient(const Organization& o,
                            const std::function<void(patient::v1::MedicalProfile*)>& edit = {},
                            const std::function<void(patient::v1::Patient*)>& edit_patient = {});
  // Changes the patient's medical profile (UpdatePatient as a practitioner).
  void UpdateMedicalProfile(const Organization& o, const std::string& patient_id,
                            const std::function<void(patient::v1::MedicalProfile*)>& edit);

  // BookAppointment as reception: a collagen injection of `patient` with the
  // organization's practitioner at its clinic, starting `start`.
  grpc::Status BookCollagen(const Organization& o, const std::string& patient, absl::Time start,
                            const std::string& request_id, v1::Appointment* out);

  // DeletePatient as the organization's admin (the real patient service
  // publishes patient.erased to the organization's event stream).
  void ErasePatient(const Organization& o, const std::string& patient_id);

  // The first `weekday` at least `days_ahead` days after the clock's now, at
  // hh:mm Berlin time.
  absl::Time NextLocal(absl::Weekday weekday, int hh, int mm, int days_ahead = 2) const;

  // Every event in the organization's stream, in order.
  std::vector<events::v1::Event> Events(const std::string& org);
  // The value of dermaflow_bookings_total{result}.
  double BookingsTotal(const std::string& result) const;
  // The value of dermaflow_scheduling_confirmations_total{outcome, via}.
  double ConfirmationsTotal(const std::string& outcome, const std::string& via) const;

  v1::SchedulingService::Stub& scheduling() { return *scheduling_stub_; }
  std::unique_ptr<v1::SchedulingService::Stub> NewSchedulingStub() const;
  protocol::v1::ProtocolService::Stub& protocols() { return *protocol_stub_; }
  common::FakeClock& clock() { return clock_; }
  // What the in-process service runs on (for app-layer components under test).
  SchedulingDeps deps() {
    return {*resources_,      *appointments_, *protocol_client_,
            *patient_client_, clock_,         confirmation_metrics_.get()};
  }
  // The waitlist as the in-process service runs it (its settings may be
  // changed before the first offer).
  WaitlistDeps waitlist_deps() {
    return {deps(), *waitlist_store_, *waitlist_metrics_, waitlist_settings_};
  }
  WaitlistSettings& waitlist_settings() { return waitlist_settings_; }
  WaitlistMetrics& waitlist_metrics() { return *waitlist_metrics_; }
  prometheus::Registry& registry() { return *registry_; }
  common::RedisClient& redis() { return *redis_client_; }

 private:
  dermaflow::testing::TempDir dir_;
  dermaflow::testing::RedisServer redis_;
  std::unique_ptr<dermaflow::testing::ServiceProcess> patient_process_;
  std::unique_ptr<dermaflow::testing::ServiceProcess> protocol_process_;
  common::FakeClock clock_;
  std::unique_ptr<common::RedisClient> redis_client_;
  std::unique_ptr<common::Authenticator> authenticator_;
  std::unique_ptr<RedisResourceStore> resources_;
  std::unique_ptr<RedisAppointmentStore> appointments_;
  std::unique_ptr<common::ServiceTokenSource> service_tokens_;
  std::unique_ptr<RedisWaitlistStore> waitlist_store_;
  std::unique_ptr<WaitlistMetrics> waitlist_metrics_;
  WaitlistSettings waitlist_settings_;
  std::unique_ptr<WaitlistDeps> service_waitlist_;
  std::unique_ptr<common::GrpcProtocolClient> protocol_service_client_;
  std::unique_ptr<common::CachingProtocolClient> protocol_client_;
  std::unique_ptr<common::GrpcPatientClient> patient_client_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<SchedulingMetrics> metrics_;
  std::unique_ptr<ConfirmationMetrics> confirmation_metrics_;
  std::unique_ptr<SchedulingGrpcService> service_;
  std::unique_ptr<dermaflow::testing::TestServer> server_;
  std::unique_ptr<v1::SchedulingService::Stub> scheduling_stub_;
  std::unique_ptr<patient::v1::PatientService::Stub> patient_stub_;
  std::unique_ptr<protocol::v1::ProtocolService::Stub> protocol_stub_;
  int created_ = 0;
};

// Error details of a status, empty when absent.
google::rpc::PreconditionFailure PreconditionFailureOf(const grpc::Status& status);
google::rpc::ResourceInfo ResourceInfoOf(const grpc::Status& status);
std::string ErrorReasonOf(const grpc::Status& status);
std::vector<std::string> BadFieldsOf(const grpc::Status& status);

inline google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}
inline absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds());
}
absl::TimeZone Berlin();

}  // namespace dermaflow::scheduling::testing
