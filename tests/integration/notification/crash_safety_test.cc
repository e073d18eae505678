// Crash behaviour of the real dermaflow-notification binary, measured: 5,000
// due SMS reminders and a backlog of booking events; the process is killed
// with SIGKILL while it delivers and plans, and started again with the same
// flags (the production lease and min-idle defaults). Nothing may be lost; a
// reminder may reach the SMS gateway twice only if its send was in flight at
// the kill (at most --dispatch_workers of them), and every attempt of one
// reminder carries the same idempotency key. The figures (duplicates, how
// long until the dead process's claims and unacked events are taken over)
// are printed for bench/notification/RESULTS.md.
#include <signal.h>

#include <fstream>
#include <iostream>
#include <set>

#include "absl/strings/str_format.h"
#include "common/events/event_stream.h"
#include "gtest/gtest.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_clinic_cache.h"
#include "services/notification/store/redis_reminder_queue.h"
#include "tests/integration/notification/notification_test_env.h"

namespace dermaflow::notification::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kReminders = 5'000;
constexpr int kPatients = 50;
constexpr int kBatch = 200;
constexpr int kWorkers = 8;  // --dispatch_workers: sends in flight at once
constexpr int kEvents = 40'000;

// Due reminders as event intake would have stored them.
void EnqueueDueReminders(NotificationTestEnv& env, const std::vector<std::string>& patients,
                         const ProtocolRef& protocol, int count) {
  RedisReminderQueue store(env.redis());
  RedisClinicCache clinics(env.redis());
  ASSERT_TRUE(clinics
                  .PutClinics(kOrg, {ClinicInfo{"clinic-mitte", "Dermaflow Berlin Mitte",
                                                "Europe/Berlin", "+49301234567", true}})
                  .ok());
  const absl::Time now = absl::Now();
  std::vector<WriteGroup> groups;
  for (int i = 0; i < count; ++i) {
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

// Bookings a year ahead: planned into reminders that are not due yet, so the
// intake is busy while the dispatcher delivers.
void PublishBookings(NotificationTestEnv& env, const std::vector<std::string>& patients) {
  const absl::Time start = absl::Now() + absl::Hours(24 * 365);
  for (int i = 0; i < kEvents; ++i) {
    env.Publish(Booked(env.AppointmentFor("b-" + std::to_string(i), patients[i % patients.size()],
                                          "mesotherapy_hydralift", start + absl::Minutes(30 * i)),
                       env.clock.Now()));
  }
}

std::vector<std::string> NotificationArgs(NotificationTestEnv& env,
                                          const dermaflow::testing::TempDir& dir) {
  const std::string secret_file = dir.path() + "/sms.key";
  std::ofstream(secret_file) << kSmsSecret << "\n";
  return {"--patient_addr=" + env.patient_address(),
          "--protocol_addr=" + env.protocol_address(),
          "--sms_webhook_url=" + env.sms_gateway.url(),
          "--sms_webhook_secret_file=" + secret_file,
          "--dispatch_batch_size=" + std::to_string(kBatch),
          "--dispatch_workers=" + std::to_string(kWorkers),
          "--log_level=warning"};
}

std::set<std::string> Members(common::RedisClient& redis, std::vector<std::string> command) {
  std::set<std::string> out;
  absl::StatusOr<common::RedisReply> reply = redis.Command(std::move(command));
  EXPECT_TRUE(reply.ok()) << reply.status();
  if (!reply.ok()) return out;
  for (const common::RedisReply& r : reply->elements()) {
    // XPENDING's extended form lists [id, consumer, idle, deliveries].
    out.insert(r.is_array() ? r.elements()[0].str() : r.str());
  }
  return out;
}

double SecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

TEST(NotificationCrashTest, KillNineMidDeliveryLosesNothingAndResendsOnlyTheSendsInFlight) {
  NotificationTestEnv env(nullptr, /*in_process_engine=*/false);
  std::vector<std::string> patients;
  for (int i = 0; i < kPatients; ++i)
    patients.push_back(env.CreatePatient({.sms = true, .no_quiet_hours = true}));
  ASSERT_NO_FATAL_FAILURE(
      EnqueueDueReminders(env, patients, env.Protocol("mesotherapy_hydralift"), kReminders));
  ASSERT_NO_FATAL_FAILURE(PublishBookings(env, patients));
  absl::StatusOr<NotificationKeys> keys = NotificationKeys::For(kOrg);
  absl::StatusOr<std::string> stream = common::StreamKey(kOrg);
  ASSERT_TRUE(keys.ok() && stream.ok());

  dermaflow::testing::TempDir dir;
  // The lease and the events' min idle are left at their defaults: the
  // takeover times printed are production's.
  const std::vector<std::string> args = NotificationArgs(env, dir);

  // A gateway that takes a few ms per message, as real ones do: every worker
  // has a send in flight at the kill, and the kill lands mid-batch.
  env.sms_gateway.set_delay(std::chrono::milliseconds(5));
  size_t at_kill = 0;
  Clock::time_point killed;
  std::set<std::string> orphaned_claims;  // in flight at the kill
  std::set<std::string> orphaned_events;  // read, not acknowledged at the kill
  {
    dermaflow::testing::ServiceProcess first("notification", env.redis_url(), args);
    ASSERT_TRUE(env.sms_gateway.WaitForCount(kReminders / 5 + kBatch / 2, std::chrono::seconds(30)))
        << "only " << env.sms_gateway.count() << " delivered";
    first.process().Signal(SIGKILL);
    first.process().Wait();
    killed = Clock::now();
    at_kill = env.sms_gateway.count();
    orphaned_claims = Members(env.redis(), {"ZRANGE", keys->inflight, "0", "-1"});
    orphaned_events = Members(
        env.redis(), {"XPENDING", *stream, "notification", "-", "+", std::to_string(kEvents)});
  }
  ASSERT_LT(at_kill, static_cast<size_t>(kReminders)) << "finished before the kill; nothing tested";

  dermaflow::testing::ServiceProcess second("notification", env.redis_url(), args);
  std::optional<double> claims_taken_over;  // s from the kill to the first of them delivered again
  std::optional<double> claims_done;        // ... to the last of them delivered
  std::optional<double> events_taken_over;  // ... to none of them pending any more
  std::set<std::string> delivered;
  std::set<std::string> claims_left = orphaned_claims;
  size_t scanned = at_kill;
  const auto deadline = Clock::now() + std::chrono::seconds(45);
  while (Clock::now() < deadline) {
    const std::vector<HttpRequest> requests = env.sms_gateway.requests();
    for (size_t i = scanned; i < requests.size(); ++i) {
      const std::string id = JsonField(requests[i].body, "reminder_id");
      if (claims_left.erase(id) == 0) continue;
      const double at = SecondsBetween(killed, requests[i].received);
      if (!claims_taken_over) claims_taken_over = at;
      if (claims_left.empty()) claims_done = at;
    }
    scanned = requests.size();
    for (const HttpRequest& r : requests) delivered.insert(JsonField(r.body, "reminder_id"));
    if (!events_taken_over) {
      std::set<std::string> pending = Members(
          env.redis(), {"XPENDING", *stream, "notification", "-", "+", std::to_string(kEvents)});
      bool any = false;
      for (const std::string& id : orphaned_events) any = any || pending.contains(id);
      if (!any) events_taken_over = SecondsBetween(killed, Clock::now());
    }
    if (delivered.size() >= static_cast<size_t>(kReminders) && claims_left.empty() &&
        events_taken_over) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Let the last outcomes be written before counting the queue.
  RedisReminderQueue store(env.redis());
  QueueCounts queue;
  for (int i = 0; i < 100; ++i) {
    queue = *store.CountQueue(kOrg, absl::Now());
    if (queue.in_flight == 0 && queue.due == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // Per reminder: how often it reached the gateway, and with which keys.
  std::map<std::string, int> sends;
  std::map<std::string, std::set<std::string>> keys_of;
  std::map<std::string, std::string> reminder_of_key;
  bool key_shared = false;
  for (const HttpRequest& r : env.sms_gateway.requests()) {
    const std::string id = JsonField(r.body, "reminder_id");
    const std::string key =
        r.headers.count("idempotency-key") ? r.headers.at("idempotency-key") : "";
    ++sends[id];
    keys_of[id].insert(key);
    auto [it, added] = reminder_of_key.emplace(key, id);
    key_shared = key_shared || (!added && it->second != id);
  }
  const int lost = kReminders - static_cast<int>(sends.size());
  const int duplicates = static_cast<int>(env.sms_gateway.count() - sends.size());
  auto seconds = [](const std::optional<double>& s) {
    return s ? absl::StrFormat("%.1f s", *s) : std::string("none within 45 s");
  };
  std::cout << "[crash test] " << kReminders << " due SMS, batch " << kBatch << ", " << kWorkers
            << " workers; killed after " << at_kill << " sends" << std::endl
            << "[crash test] lost: " << lost << ", duplicates: " << duplicates
            << ", claims in flight at the kill: " << orphaned_claims.size()
            << "; first of them delivered again after " << seconds(claims_taken_over)
            << ", all after " << seconds(claims_done) << std::endl
            << "[crash test] events read but unacked at the kill: " << orphaned_events.size()
            << ", all taken over and acked after " << seconds(events_taken_over) << std::endl;

  EXPECT_EQ(lost, 0);
  EXPECT_LE(duplicates, kWorkers) << "a crash may resend only the sends in flight";
  for (const auto& [id, n] : sends) EXPECT_LE(n, 2) << id;
  for (const auto& [id, k] : keys_of) EXPECT_EQ(k.size(), 1u) << "one key per reminder: " << id;
  EXPECT_FALSE(key_shared) << "two reminders sent with the same idempotency key";
  // Loose bounds (the defaults promise ~10 s); the figures are the point.
  if (!orphaned_claims.empty()) {
    ASSERT_TRUE(claims_done.has_value());
    EXPECT_LT(*claims_done, 20.0);
  }
  if (!orphaned_events.empty()) {
    ASSERT_TRUE(events_taken_over.has_value());
    EXPECT_LT(*events_taken_over, 20.0);
  }
  EXPECT_EQ(queue.in_flight, 0);
  EXPECT_EQ(queue.due, 0);
  EXPECT_EQ(queue.retrying, 0);
  EXPECT_EQ(queue.dead_letter, 0);
}

// The other side of a short lease: a replica whose sends each take longer
// than the whole lease keeps its claims (its heartbeat renews them), so a
// second replica running beside it never sends them too.
TEST(NotificationCrashTest, ASlowLiveReplicaKeepsItsClaims) {
  constexpr int kSlowReminders = 2 * kWorkers;  // two rounds of sends
  NotificationTestEnv env(nullptr, /*in_process_engine=*/false);
  std::vector<std::string> patients;
  for (int i = 0; i < 4; ++i)
    patients.push_back(env.CreatePatient({.sms = true, .no_quiet_hours = true}));
  ASSERT_NO_FATAL_FAILURE(
      EnqueueDueReminders(env, patients, env.Protocol("mesotherapy_hydralift"), kSlowReminders));
  env.sms_gateway.set_delay(std::chrono::milliseconds(1500));
  dermaflow::testing::TempDir dir;
  std::vector<std::string> args = NotificationArgs(env, dir);
  args.push_back("--claim_lease=1s");

  dermaflow::testing::ServiceProcess slow("notification", env.redis_url(), args);
  // It claimed all of them at once and is sending.
  ASSERT_TRUE(env.sms_gateway.WaitForCount(1, std::chrono::seconds(10)));
  dermaflow::testing::ServiceProcess other("notification", env.redis_url(), args);
  RedisReminderQueue store(env.redis());
  QueueCounts queue;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    queue = *store.CountQueue(kOrg, absl::Now());
  } while ((queue.in_flight > 0 || queue.due > 0) && Clock::now() < deadline);

  std::map<std::string, int> sends;
  for (const HttpRequest& r : env.sms_gateway.requests()) ++sends[JsonField(r.body, "reminder_id")];
  EXPECT_EQ(sends.size(), static_cast<size_t>(kSlowReminders));
  for (const auto& [id, n] : sends) EXPECT_EQ(n, 1) << id << " was taken over from a live replica";
  EXPECT_EQ(queue.in_flight, 0);
  EXPECT_EQ(queue.due, 0);
}

}  // namespace
}  // namespace dermaflow::notification::testing
