#include "tests/integration/notification/notification_test_env.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "common/clients/retry_policy.h"
#include "common/redis/redis_options.h"
#include "google/protobuf/empty.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "prometheus/metric_family.h"

namespace dermaflow::notification::testing {

namespace {

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return ctx;
}

}  // namespace

NotificationTestEnv::NotificationTestEnv(const std::function<void(NotificationConfig&)>& tweak,
                                         bool in_process_engine) {
  using dermaflow::testing::ServiceProcess;
  patient_ = std::make_unique<ServiceProcess>("patient", redis_.url());
  protocol_ = std::make_unique<ServiceProcess>(
      "protocol", redis_.url(), std::vector<std::string>{"--patient_addr=" + patient_->address()});
  patients_ = patient::v1::PatientService::NewStub(patient_->channel());

  // The built-in catalog, as a clinic gets it on first use.
  auto protocols = protocol::v1::ProtocolService::NewStub(protocol_->channel());
  protocol::v1::SeedCatalogResponse seeded;
  grpc::Status s = protocols->SeedCatalog(Ctx().get(), {}, &seeded);
  EXPECT_TRUE(s.ok()) << s.error_message();
  for (const auto& p : seeded.created()) {
    protocols_[p.source().catalog_key()] = ProtocolRef{p.id(), p.version()};
  }

  auto options = common::ParseRedisUrl(redis_.url());
  redis_client_ = std::make_unique<common::RedisClient>(*options);
  publisher_ = std::make_unique<common::EventPublisher>(*redis_client_, clock);
  if (!in_process_engine) return;

  NotificationConfig config;
  config.patient_addr = patient_->address();
  config.protocol_addr = protocol_->address();
  config.smtp.url = smtp.url();
  config.smtp.from = "Dermaflow Berlin Mitte <praxis@dermaflow.test>";
  config.sms.url = sms_gateway.url();
  config.sms.secret = kSmsSecret;
  config.run_workers = false;                       // the tests drive intake and dispatch
  config.patient_cache.ttl = absl::ZeroDuration();  // consent changes show at once
  config.dispatcher.max_attempts = 3;
  config.dispatcher.retry_base = absl::Minutes(1);
  config.dispatcher.retry_max = absl::Minutes(10);
  config.dispatcher.workers = 4;
  config.intake.consumer.block_timeout = absl::Milliseconds(50);
  if (tweak) tweak(config);
  app_ = std::make_unique<NotificationApp>(
      config, *redis_client_, registry_, authenticator_, clock, [](const std::string& address) {
        return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                         common::RetryingChannelArguments());
      });
  server_ = std::make_unique<dermaflow::testing::TestServer>(
      std::vector<grpc::Service*>{&app_->service()});
  stub = v1::NotificationService::NewStub(server_->channel());
}

NotificationTestEnv::~NotificationTestEnv() {
  server_.reset();
  app_.reset();
}

std::string NotificationTestEnv::CreatePatient(const PatientSpec& spec) {
  static int counter = 0;
  patient::v1::CreatePatientRequest request;
  request.set_request_id("create-" + std::to_string(++counter) + "-" + std::to_string(getpid()));
  patient::v1::Patient& p = *request.mutable_patient();
  p.set_given_name(spec.given_name);
  p.set_family_name("Müller");
  p.mutable_birth_date()->set_year(1985);
  p.mutable_birth_date()->set_month(6);
  p.mutable_birth_date()->set_day(1);
  p.set_locale(spec.locale);
  p.mutable_contact()->set_email("anna.mueller@example.org");
  p.mutable_contact()->set_phone("+4915112345678");
  p.set_preferred_channel(spec.preferred);
  if (spec.no_quiet_hours) {
    p.mutable_quiet_hours()->mutable_start()->set_hours(0);
    p.mutable_quiet_hours()->mutable_end()->set_hours(0);
  }
  auto consent = [&](patient::v1::Channel c) {
    auto* entry = p.add_consents();
    entry->set_channel(c);
    entry->set_state(patient::v1::CONSENT_STATE_GIVEN);
    entry->set_reason("registration form");
  };
  if (spec.email) consent(patient::v1::CHANNEL_EMAIL);
  if (spec.sms) consent(patient::v1::CHANNEL_SMS);
  if (spec.in_app) consent(patient::v1::CHANNEL_IN_APP);
  patient::v1::Patient created;
  grpc::Status s = patients_->CreatePatient(Ctx().get(), request, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return created.id();
}

void NotificationTestEnv::SetConsent(const std::string& patient_id, patient::v1::Channel channel,
                                     patient::v1::ConsentState state) {
  patient::v1::SetConsentRequest request;
  request.set_patient_id(patient_id);
  request.set_channel(channel);
  request.set_state(state);
  request.set_reason("asked by phone");
  patient::v1::Patient updated;
  grpc::Status s = patients_->SetConsent(Ctx().get(), request, &updated);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

void NotificationTestEnv::ErasePatient(const std::string& patient_id) {
  patient::v1::GetPatientRequest get;
  get.set_id(patient_id);
  patient::v1::Patient current;
  ASSERT_TRUE(patients_->GetPatient(Ctx().get(), get, &current).ok());
  patient::v1::DeletePatientRequest request;
  request.set_id(patient_id);
  request.set_etag(current.etag());
  request.set_reason("erasure request by letter");
  google::protobuf::Empty empty;
  grpc::Status s = patients_->DeletePatient(Ctx().get(), request, &empty);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

events::v1::AppointmentInfo NotificationTestEnv::AppointmentFor(
    const std::string& appointment_id, const std::string& patient_id,
    const std::string& catalog_key, absl::Time start,
    std::initializer_list<protocol::v1::TreatmentArea> areas) {
  events::v1::AppointmentInfo info = Appointment(appointment_id, patient_id, "", start, areas);
  info.set_protocol_id(Protocol(catalog_key).id);
  info.set_protocol_version(Protocol(catalog_key).version);
  return info;
}

void NotificationTestEnv::Publish(events::v1::Event event) {
  event.set_organization(kOrg);
  absl::StatusOr<std::string> id = publisher_->Publish(std::move(event));
  ASSERT_TRUE(id.ok()) << id.status();
}

void NotificationTestEnv::DrainEvents(int events) {
  int acked = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (acked < events && std::chrono::steady_clock::now() < deadline) {
    absl::StatusOr<int> n = app_->intake().PollOnce();
    ASSERT_TRUE(n.ok()) << n.status();
    acked += *n;
  }
  ASSERT_GE(acked, events) << "events not handled in time";
}

int NotificationTestEnv::Dispatch() {
  int total = 0;
  for (int pass = 0; pass < 100; ++pass) {
    absl::StatusOr<int> n = app_->dispatcher().RunOnce();
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || *n == 0) break;
    total += *n;
  }
  return total;
}

std::vector<v1::Reminder> NotificationTestEnv::Reminders(const std::string& patient_id) {
  v1::ListRemindersRequest request;
  request.set_patient_id(patient_id);
  request.set_page_size(500);
  v1::ListRemindersResponse response;
  grpc::Status s = stub->ListReminders(Ctx().get(), request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {response.reminders().begin(), response.reminders().end()};
}

v1::Reminder NotificationTestEnv::OnlyReminder(const std::string& patient_id,
                                               v1::ReminderKind kind) {
  std::vector<v1::Reminder> found;
  for (const v1::Reminder& r : Reminders(patient_id)) {
    if (r.kind() == kind) found.push_back(r);
  }
  EXPECT_EQ(found.size(), 1u) << "reminders of kind " << v1::ReminderKind_Name(kind);
  return found.empty() ? v1::Reminder() : found[0];
}

double NotificationTestEnv::Metric(const std::string& name,
                                   const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& family : registry_.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& m : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& l : m.label) have[l.name] = l.value;
      if (have != labels) continue;
      return family.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
    }
  }
  return -1;
}

}  // namespace dermaflow::notification::testing
