// The real binaries with JWT authentication: the notification service reads
// protocols and patients with service tokens it mints per organization, and
// its API shows each organization only its own reminders.
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/time/clock.h"
#include "common/auth/jwt_minter.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_options.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "services/notification/domain/time_rules.h"
#include "tests/integration/notification/notification_test_env.h"

namespace dermaflow::notification::testing {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-notification-tests";

class Caller {
 public:
  Caller(const std::string& org, std::vector<std::string> roles) {
    auto token = common::MintJwt({.organization = org,
                                  .subject = "u-" + org,
                                  .roles = std::move(roles),
                                  .expires_at = absl::Now() + absl::Hours(1)},
                                 common::JwtAlgorithm::kHs256, kSecret);
    EXPECT_TRUE(token.ok());
    token_ = token.value_or("");
  }
  std::unique_ptr<grpc::ClientContext> Ctx() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + token_);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return ctx;
  }

 private:
  std::string token_;
};

TEST(NotificationServiceAuthTest, PeersAcceptServiceTokensAndTenantsStayApart) {
  using dermaflow::testing::ServiceProcess;
  dermaflow::testing::RedisServer redis;
  dermaflow::testing::TempDir dir;
  const std::string key_file = dir.path() + "/hs256.key";
  std::ofstream(key_file) << kSecret << "\n";
  const std::vector<std::string> jwt = {"--auth=jwt", "--jwt_hs256_key_file=" + key_file};
  ServiceProcess patients("patient", redis.url(), jwt);
  std::vector<std::string> protocol_args = jwt;
  protocol_args.push_back("--patient_addr=" + patients.address());
  ServiceProcess protocols("protocol", redis.url(), protocol_args);
  std::vector<std::string> notification_args = jwt;
  notification_args.push_back("--patient_addr=" + patients.address());
  notification_args.push_back("--protocol_addr=" + protocols.address());
  ServiceProcess notification("notification", redis.url(), notification_args);

  const Caller admin("clinic-a", {"clinic_admin", "reception"});
  protocol::v1::SeedCatalogResponse seeded;
  ASSERT_TRUE(protocol::v1::ProtocolService::NewStub(protocols.channel())
                  ->SeedCatalog(admin.Ctx().get(), {}, &seeded)
                  .ok());
  const protocol::v1::Protocol& collagen =
      *std::find_if(seeded.created().begin(), seeded.created().end(),
                    [](const auto& p) { return p.source().catalog_key() == "collagen_injection"; });

  patient::v1::CreatePatientRequest create;
  create.set_request_id("auth-test-1");
  auto& p = *create.mutable_patient();
  p.set_given_name("Clara");
  p.set_family_name("Schmidt");
  p.mutable_birth_date()->set_year(1990);
  p.mutable_birth_date()->set_month(1);
  p.mutable_birth_date()->set_day(2);
  p.set_locale("de");
  p.mutable_contact()->set_email("clara@example.org");
  p.mutable_quiet_hours()->mutable_start()->set_hours(0);  // none: the test runs at any hour
  p.mutable_quiet_hours()->mutable_end()->set_hours(0);
  auto* consent = p.add_consents();
  consent->set_channel(patient::v1::CHANNEL_EMAIL);
  consent->set_state(patient::v1::CONSENT_STATE_GIVEN);
  patient::v1::Patient clara;
  ASSERT_TRUE(patient::v1::PatientService::NewStub(patients.channel())
                  ->CreatePatient(admin.Ctx().get(), create, &clara)
                  .ok());

  // Booked two hours ahead: the reminder is due at once (the log channel
  // delivers it, no SMTP is configured).
  common::RedisClient client(*common::ParseRedisUrl(redis.url()));
  common::EventPublisher publisher(client, common::SystemClock());
  events::v1::AppointmentInfo info =
      Appointment("ap_auth_1", clara.id(), collagen.id(), absl::Now() + absl::Hours(2));
  info.set_protocol_version(collagen.version());
  events::v1::Event booked = Booked(info, absl::Now());
  booked.set_organization("clinic-a");
  ASSERT_TRUE(publisher.Publish(booked).ok());

  auto api = v1::NotificationService::NewStub(notification.channel());
  const Caller reception("clinic-a", {"reception"});
  v1::ListRemindersRequest list;
  list.set_patient_id(clara.id());
  v1::ListRemindersResponse found;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    found.Clear();
    ASSERT_TRUE(api->ListReminders(reception.Ctx().get(), list, &found).ok());
    if (found.reminders_size() == 1 &&
        found.reminders(0).state() == v1::ReminderState::REMINDER_STATE_DELIVERED) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(found.reminders_size(), 1) << notification.process().ReadLog();
  EXPECT_EQ(found.reminders(0).state(), v1::ReminderState::REMINDER_STATE_DELIVERED)
      << notification.process().ReadLog();
  EXPECT_EQ(found.reminders(0).protocol_id(), collagen.id());

  // Another organization sees nothing of it.
  const Caller other("clinic-b", {"reception", "ops"});
  v1::ListRemindersResponse none;
  ASSERT_TRUE(api->ListReminders(other.Ctx().get(), list, &none).ok());
  EXPECT_EQ(none.reminders_size(), 0);
  v1::GetReminderRequest get;
  get.set_id(found.reminders(0).id());
  v1::Reminder r;
  EXPECT_EQ(api->GetReminder(other.Ctx().get(), get, &r).error_code(), grpc::StatusCode::NOT_FOUND);
  // Roles are enforced: practitioners may not cancel.
  v1::CancelReminderRequest cancel;
  cancel.set_id(found.reminders(0).id());
  EXPECT_EQ(api->CancelReminder(Caller("clinic-a", {"practitioner"}).Ctx().get(), cancel, &r)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace dermaflow::notification::testing
