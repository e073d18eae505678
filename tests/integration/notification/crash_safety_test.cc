// Crash safety of the real dermaflow-notification binary: 10,000 due
// reminders, the dispatcher killed with SIGKILL in the middle of delivering
// them, started again. Every reminder must reach the SMS gateway at least
// once; a duplicate is only allowed for the batch that was in flight at the
// kill, and it carries the same idempotency key.
#include <signal.h>

#include <fstream>
#include <iostream>
#include <set>

#include "gtest/gtest.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/store/redis_clinic_cache.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "tests/integration/notification/notification_test_env.h"

namespace dermaflow::notification::testing {
namespace {

constexpr int kReminders = 10'000;
constexpr int kPatients = 50;
constexpr int kBatch = 200;

// Due reminders as event intake would have stored them.
void EnqueueDueReminders(NotificationTestEnv& env, const std::vector<std::string>& patients,
                         const ProtocolRef& protocol) {
  RedisReminderQueue store(env.redis());
  RedisClinicCache clinics(env.redis());
  ASSERT_TRUE(clinics
                  .PutClinics(kOrg, {ClinicInfo{"clinic-mitte", "Dermaflow Berlin Mitte",
                                                "Europe/Berlin", "+49301234567", true}})
                  .ok());
  const absl::Time now = absl::Now();
  std::vector<WriteGroup> groups;
  for (int i = 0; i < kReminders; ++i) {
    if (i % kBatch == 0) groups.emplace_back().atomic = false;
    internal::StoredReminder d;
    d.set_patient_id(patients[i % patients.size()]);
    d.set_kind(v1::REMINDER_KIND_AFTERCARE);
    d.set_appointment_id("a-" + std::to_string(i));
    d.set_protocol_id(protocol.id);
    d.set_protocol_version(protocol.version);
    d.set_clinic_id("clinic-mitte");
    d.set_session_start_ms(ToMillis(now - absl::Minutes(40)));
    d.set_areas(1u << protocol::v1::TREATMENT_AREA_FACE);
    d.set_original_due_ms(ToMillis(now - absl::Seconds(1)));
    d.set_due_ms(d.original_due_ms());
    d.set_create_ms(ToMillis(now));
    d.set_update_ms(ToMillis(now));
    ReminderWrite w;
    w.id = ReminderId(v1::REMINDER_KIND_AFTERCARE, d.appointment_id(), "");
    w.value = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, d);
    w.score = d.due_ms();
    w.patient_id = d.patient_id();
    groups.back().writes.push_back(std::move(w));
  }
  absl::StatusOr<std::vector<WriteResult>> written = store.Write(kOrg, groups);
  ASSERT_TRUE(written.ok()) << written.status();
  // The dispatcher finds organizations in df:orgs, where producers register them.
  ASSERT_TRUE(env.redis().Command({"SADD", "df:orgs", kOrg}).ok());
}

std::map<std::string, int> KeyCounts(HttpSink& gateway) {
  std::map<std::string, int> counts;
  for (const HttpRequest& r : gateway.requests()) ++counts[r.headers.at("idempotency-key")];
  return counts;
}

TEST(NotificationCrashTest, KillNineMidDeliveryLosesNothing) {
  NotificationTestEnv env(nullptr, /*in_process_engine=*/false);
  std::vector<std::string> patients;
  for (int i = 0; i < kPatients; ++i)
    patients.push_back(env.CreatePatient({.sms = true, .no_quiet_hours = true}));
  EnqueueDueReminders(env, patients, env.Protocol("mesotherapy_hydralift"));

  dermaflow::testing::TempDir dir;
  const std::string secret_file = dir.path() + "/sms.key";
  std::ofstream(secret_file) << kSmsSecret << "\n";
  const std::vector<std::string> args = {"--patient_addr=" + env.patient_address(),
                                         "--protocol_addr=" + env.protocol_address(),
                                         "--sms_webhook_url=" + env.sms_gateway.url(),
                                         "--sms_webhook_secret_file=" + secret_file,
                                         "--claim_lease=2s",
                                         "--dispatch_batch_size=" + std::to_string(kBatch),
                                         "--log_level=warning"};

  size_t at_kill = 0;
  {
    dermaflow::testing::ServiceProcess first("notification", env.redis_url(), args);
    ASSERT_TRUE(env.sms_gateway.WaitForCount(kReminders / 4, std::chrono::seconds(30)))
        << "only " << env.sms_gateway.count() << " delivered";
    first.process().Signal(SIGKILL);
    first.process().Wait();
    at_kill = env.sms_gateway.count();
  }
  ASSERT_LT(at_kill, static_cast<size_t>(kReminders)) << "finished before the kill; nothing tested";

  dermaflow::testing::ServiceProcess second("notification", env.redis_url(), args);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (KeyCounts(env.sms_gateway).size() < static_cast<size_t>(kReminders) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Let the last batch's outcomes be written before counting the queue.
  RedisReminderQueue store(env.redis());
  QueueCounts queue;
  for (int i = 0; i < 100; ++i) {
    queue = *store.CountQueue(kOrg, absl::Now());
    if (queue.in_flight == 0 && queue.due == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const std::map<std::string, int> counts = KeyCounts(env.sms_gateway);
  const size_t total = env.sms_gateway.count();
  const int lost = kReminders - static_cast<int>(counts.size());
  const int duplicates = static_cast<int>(total - counts.size());
  std::cout << "[crash test] delivered before kill: " << at_kill << ", requests total: " << total
            << ", lost: " << lost << ", duplicates: " << duplicates << " (batch size " << kBatch
            << ")" << std::endl;
  EXPECT_EQ(lost, 0);
  EXPECT_LE(duplicates, kBatch);
  for (const auto& [key, n] : counts) EXPECT_LE(n, 2) << key;
  EXPECT_EQ(queue.in_flight, 0);
  EXPECT_EQ(queue.due, 0);
  EXPECT_EQ(queue.retrying, 0);
  EXPECT_EQ(queue.dead_letter, 0);
}

}  // namespace
}  // namespace dermaflow::notification::testing
