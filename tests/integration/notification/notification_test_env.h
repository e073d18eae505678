// The environment of the notification integration tests: a real Redis, the
// real patient and protocol services as processes (--auth=none, org "demo"),
// real delivery sinks (SMTP and the SMS webhook on loopback), and the
// notification engine in-process on a FakeClock, so reminders due days ahead
// are delivered by moving the clock.
//
//   NotificationTestEnv env;
//   std::string patient = env.CreatePatient({.locale = "de", .email = true});
//   env.Publish(Booked(...));
//   env.DrainEvents(1);
//   env.clock.Set(due);  env.Dispatch();
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/auth/no_auth_authenticator.h"
#include "common/clock/clock.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_client.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "prometheus/registry.h"
#include "services/notification/notification_app.h"
#include "tests/integration/notification/test_sinks.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/test_server.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification::testing {

inline constexpr char kOrg[] = "demo";  // --dev_organization of every --auth=none process
inline constexpr char kSmsSecret[] = "sms-webhook-secret-for-tests";

struct PatientSpec {
  std::string given_name = "Anna";
  std::string locale = "de";
  bool email = false;
  bool sms = false;
  bool in_app = false;
  patient::v1::Channel preferred = patient::v1::CHANNEL_UNSPECIFIED;
  // Quiet hours 00:00-00:00 (none), for tests on the real clock at any hour.
  bool no_quiet_hours = false;
};

struct ProtocolRef {
  std::string id;
  int64_t version = 0;
};

class NotificationTestEnv {
 public:
  // `tweak` adjusts the engine's configuration before it is built.
  explicit NotificationTestEnv(const std::function<void(NotificationConfig&)>& tweak = nullptr,
                               bool in_process_engine = true);
  ~NotificationTestEnv();

  // --- peers ---
  std::string CreatePatient(const PatientSpec& spec);
  void SetConsent(const std::string& patient_id, patient::v1::Channel channel,
                  patient::v1::ConsentState state);
  void ErasePatient(const std::string& patient_id);
  const ProtocolRef& Protocol(const std::string& catalog_key) { return protocols_.at(catalog_key); }

  // --- engine ---
  // Appends the event to the organization's stream (as the producers do).
  void Publish(events::v1::Event event);
  // Polls the intake until `events` more events were acknowledged (5 s).
  void DrainEvents(int events);
  // Runs dispatcher passes until one finds nothing due; returns how many
  // reminders were handled.
  int Dispatch();
  std::vector<v1::Reminder> Reminders(const std::string& patient_id);
  v1::Reminder OnlyReminder(const std::string& patient_id, v1::ReminderKind kind);
  // The value of a counter or gauge sample with exactly these labels.
  double Metric(const std::string& name, const std::map<std::string, std::string>& labels);

  common::FakeClock clock{Berlin(2026, 3, 16, 9, 0)};
  SmtpSink smtp;
  HttpSink sms_gateway;
  std::unique_ptr<v1::NotificationService::Stub> stub;
  NotificationApp& app() { return *app_; }
  common::RedisClient& redis() { return *redis_client_; }
  const std::string& redis_url() const { return redis_url_; }
  std::string patient_address() const { return patient_->address(); }
  std::string protocol_address() const { return protocol_->address(); }

  // An appointment for `patient` with the given catalog protocol.
  events::v1::AppointmentInfo AppointmentFor(
      const std::string& appointment_id, const std::string& patient_id,
      const std::string& catalog_key, absl::Time start,
      std::initializer_list<protocol::v1::TreatmentArea> areas = {
          protocol::v1::TREATMENT_AREA_FACE});

 private:
  dermaflow::testing::RedisServer redis_;
  const std::string redis_url_ = redis_.url();
  std::unique_ptr<dermaflow::testing::ServiceProcess> patient_;
  std::unique_ptr<dermaflow::testing::ServiceProcess> protocol_;
  std::unique_ptr<patient::v1::PatientService::Stub> patients_;
  std::map<std::string, ProtocolRef> protocols_;
  dermaflow::testing::TempDir dir_;
  std::unique_ptr<common::RedisClient> redis_client_;
  std::unique_ptr<common::EventPublisher> publisher_;
  prometheus::Registry registry_;
  common::NoAuthAuthenticator authenticator_{kOrg};
  std::unique_ptr<NotificationApp> app_;
  std::unique_ptr<dermaflow::testing::TestServer> server_;
};

}  // namespace dermaflow::notification::testing
