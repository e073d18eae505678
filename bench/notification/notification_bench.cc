// notification_bench: the reminder engine's design targets, measured on a
// private redis-server (AOF on, appendfsync no, as the tests run it) with the
// log channel (quiet) and anonymous local patients:
//   1. plan: booked events -> stored reminders (intake alone), reminders/s
//   2. dispatch: due reminders -> delivered (dispatcher alone), reminders/s
//   3. end to end: intake and dispatcher threads together, events in ->
//      messages out, reminders/s
//   4. dispatch lag (due -> delivered) of reminders coming due at a steady
//      rate while the dispatcher runs, p50/p99/max
//   5. Redis memory per pending far-future reminder (INFO used_memory before
//      and after planning course-completed events: MAINTENANCE + NUDGE)
// Baseline: a Redis PING round trip from the same process.
//
//   build-notification/bin/notification_bench --events=50000 --far_future=100000
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/caching_protocol_client.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_options.h"
#include "prometheus/registry.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/delivery/channels/in_app_channel.h"
#include "services/notification/delivery/channels/log_channel.h"
#include "services/notification/delivery/dispatcher.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/intake/event_intake.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_reminder_store.h"
#include "services/notification/store/redis_settings_store.h"
#include "services/protocol/domain/catalog.h"
#include "tests/support/redis_server.h"

ABSL_FLAG(int, events, 50'000, "booked events per throughput phase (one due reminder each)");
ABSL_FLAG(int, far_future, 100'000, "far-future reminders for the memory phase");
ABSL_FLAG(int, batch, 200, "dispatcher batch size");
ABSL_FLAG(int, consumer_batch, 200, "events read per poll");
ABSL_FLAG(int, lag_rate, 5'000, "reminders coming due per second in the lag phase");
ABSL_FLAG(int, lag_seconds, 4, "length of the lag phase");
ABSL_FLAG(bool, aof, true, "keep Redis's append-only file on (as the tests and production run it)");

namespace nf = dermaflow::notification;
namespace common = dermaflow::common;
using Clock = std::chrono::steady_clock;

namespace {

constexpr char kOrg[] = "bench-clinics";

std::string Hex(uint64_t v, int width) { return absl::StrFormat("%0*x", width, v); }
// Id shapes of the real services: patients 32 hex, scheduling "ap_"/"co_" + 20 hex.
std::string PatientId(int i) { return Hex(0x9e3779b97f4a7c15ull * (i + 1), 16) + Hex(i, 16); }
std::string SchedulingId(const char* prefix, int i) {
  return std::string(prefix) + "_" + Hex(0xc2b2ae3d27d4eb4full * (i + 7), 16).substr(0, 12) +
         Hex(i, 8);
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Percentiles {
  double p50, p99, max;
};
Percentiles Summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {0, 0, 0};
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back()};
}

int64_t UsedMemory(common::RedisClient& redis) {
  auto info = redis.Command({"INFO", "memory"});
  const std::string& text = info->str();
  const size_t at = text.find("used_memory:");
  return std::stoll(text.substr(at + 12));
}

// Appends events to the organization's stream, a thousand per round trip.
void PublishAll(common::RedisClient& redis, std::vector<dermaflow::events::v1::Event> events) {
  const std::string stream = *common::StreamKey(kOrg);
  std::vector<std::vector<std::string>> commands;
  for (auto& e : events) {
    e.set_organization(kOrg);
    commands.push_back({"XADD", stream, "*", "e", *common::SealEvent(e, common::SystemClock())});
    if (commands.size() == 1000) {
      (void)redis.Pipeline(commands);
      commands.clear();
    }
  }
  if (!commands.empty()) (void)redis.Pipeline(commands);
  (void)redis.Command({"SADD", common::OrganizationsKey(), kOrg});
}

dermaflow::events::v1::Event BookedSoon(int i, const std::string& protocol_id, absl::Time now) {
  dermaflow::events::v1::Event e;
  e.set_id("evt-b-" + std::to_string(i));
  *e.mutable_occur_time() = nf::ToTimestamp(now);
  auto* a = e.mutable_appointment_booked()->mutable_appointment();
  a->set_appointment_id(SchedulingId("ap", i));
  a->set_patient_id(PatientId(i % 20'000));
  a->set_protocol_id(protocol_id);
  a->set_protocol_version(1);
  a->set_clinic_id("cl_0123456789abcdef0123");
  a->set_clinic_display_name("Dermaflow Berlin Mitte");
  a->set_clinic_time_zone("Europe/Berlin");
  // Two hours ahead: the 24 h reminder is due at once.
  *a->mutable_start_time() = nf::ToTimestamp(now + absl::Hours(2));
  a->add_areas(dermaflow::protocol::v1::TREATMENT_AREA_FACE);
  *a->mutable_update_time() = nf::ToTimestamp(now);
  return e;
}

dermaflow::events::v1::Event CourseDone(int i, const std::string& protocol_id, absl::Time now) {
  dermaflow::events::v1::Event e;
  e.set_id("evt-c-" + std::to_string(i));
  *e.mutable_occur_time() = nf::ToTimestamp(now);
  auto* c = e.mutable_course_completed();
  c->set_course_id(SchedulingId("co", i));
  c->set_patient_id(PatientId(1'000'000 + i));
  c->set_protocol_id(protocol_id);
  c->set_protocol_version(1);
  c->set_clinic_id("cl_0123456789abcdef0123");
  c->set_clinic_display_name("Dermaflow Berlin Mitte");
  c->set_clinic_time_zone("Europe/Berlin");
  c->mutable_maintenance_due_date()->set_year(2027);
  c->mutable_maintenance_due_date()->set_month(1 + i % 12);
  c->mutable_maintenance_due_date()->set_day(1 + i % 28);
  return e;
}

// Spins until `done`; a benchmark that stalls says so instead of hanging.
template <typename Done>
void WaitFor(const char* what, Done done) {
  const auto deadline = Clock::now() + std::chrono::minutes(3);
  while (!done()) {
    if (Clock::now() > deadline) {
      std::fprintf(stderr, "stalled: %s\n", what);
      std::exit(1);
    }
  }
}

// Microseconds Redis spent in all commands so far (INFO commandstats), to
// give each phase's Redis cost per reminder.
double RedisMicros(common::RedisClient& redis) {
  auto stats = redis.Command({"INFO", "commandstats"});
  if (!stats.ok()) return 0;
  const std::string& text = stats->str();
  double total = 0;
  for (size_t at = text.find(",usec="); at != std::string::npos; at = text.find(",usec=", at + 1)) {
    total += std::strtod(text.c_str() + at + 6, nullptr);
  }
  return total;
}

double DeliveredCount(prometheus::Registry& registry) {
  double total = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != "dermaflow_reminders_delivered_total") continue;
    for (const auto& m : family.metric) total += m.counter.value;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int events = absl::GetFlag(FLAGS_events);
  dermaflow::testing::RedisServer server;
  common::RedisOptions options = *common::ParseRedisUrl(server.url());
  options.pool_size = 8;
  common::RedisClient redis(options);
  if (!absl::GetFlag(FLAGS_aof)) (void)redis.Command({"CONFIG", "SET", "appendonly", "no"});

  // Baseline: one PING round trip.
  std::vector<double> pings;
  for (int i = 0; i < 2000; ++i) {
    const auto t0 = Clock::now();
    (void)redis.Ping();
    pings.push_back(Seconds(Clock::now() - t0) * 1e6);
  }
  const Percentiles ping = Summarize(pings);
  std::printf("baseline  redis PING round trip: p50 %.0f us, p99 %.0f us\n", ping.p50, ping.p99);

  common::InMemoryProtocolClient protocol_service;
  common::CachingProtocolClient protocols(protocol_service);
  const std::string hydralift = "8f14e45fceea167a5a36dedd4bea2543";
  protocol_service.Put(hydralift,
                       dermaflow::protocol::FindCatalogEntry("mesotherapy_hydralift")->protocol);
  // Anonymous German patients reached by e-mail (to the quiet log channel),
  // without quiet hours so the numbers do not depend on the time of day.
  dermaflow::patient::v1::Patient anonymous = nf::AnonymousPatientClient::Anonymous("de");
  anonymous.mutable_quiet_hours();  // 00:00-00:00: no quiet hours
  nf::AnonymousPatientClient patient_service(anonymous);
  common::CachingPatientClient patients(patient_service, common::SystemClock(), {});
  prometheus::Registry registry;
  nf::NotificationMetrics metrics(registry);
  nf::RedisReminderStore store(redis);
  nf::RedisSettingsStore settings_store(redis);
  nf::SettingsCache settings(settings_store, common::SystemClock());
  nf::ChannelSet channels(nullptr, nullptr, std::make_unique<nf::InAppChannel>(),
                          std::make_unique<nf::LogChannel>(/*quiet=*/true));
  nf::EventIntakeOptions intake_options;
  intake_options.consumer.consumer = "bench";
  intake_options.consumer.batch_count = absl::GetFlag(FLAGS_consumer_batch);
  intake_options.consumer.block_timeout = absl::Milliseconds(100);
  nf::EventIntake intake(redis, store.queue(), store.clinics(), store.events(), protocols, patients,
                         settings, metrics, common::SystemClock(), intake_options);
  nf::DispatcherOptions dispatch_options;
  dispatch_options.batch_size = absl::GetFlag(FLAGS_batch);
  nf::Dispatcher dispatcher(store.queue(), store.clinics(), store.events(), settings, patients,
                            protocols, channels, metrics, common::SystemClock(), dispatch_options);

  auto drain_intake = [&](nf::EventIntake& in, int n) {
    int acked = 0;
    WaitFor("intake", [&] { return (acked += in.PollOnce().value_or(0)) >= n; });
  };
  auto wait_delivered = [&](double before, int n, bool run_dispatcher) {
    WaitFor("delivery", [&] {
      if (run_dispatcher) {
        (void)dispatcher.RunOnce();
      } else {
        // Collecting the registry costs CPU the engine is being measured on.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return DeliveredCount(registry) - before >= n;
    });
  };

  // 1 + 2: planning alone, then dispatching alone.
  std::vector<dermaflow::events::v1::Event> batch;
  absl::Time now = absl::Now();
  for (int i = 0; i < events; ++i) batch.push_back(BookedSoon(i, hydralift, now));
  PublishAll(redis, std::move(batch));
  double redis_us = RedisMicros(redis);
  auto t0 = Clock::now();
  drain_intake(intake, events);
  const double plan_s = Seconds(Clock::now() - t0);
  double used = RedisMicros(redis) - redis_us;
  std::printf(
      "plan      %d events -> %d reminders in %.2f s: %.0f reminders/s (Redis busy %.0f us "
      "per reminder)\n",
      events, events, plan_s, events / plan_s, used / events);
  redis_us = RedisMicros(redis);
  t0 = Clock::now();
  wait_delivered(DeliveredCount(registry), events, /*run_dispatcher=*/true);
  const double dispatch_s = Seconds(Clock::now() - t0);
  used = RedisMicros(redis) - redis_us;
  std::printf(
      "dispatch  %d due reminders delivered in %.2f s: %.0f reminders/s (batch %d; Redis "
      "busy %.0f us per reminder)\n",
      events, dispatch_s, events / dispatch_s, dispatch_options.batch_size, used / events);

  // 3: end to end, both workers on their threads.
  batch.clear();
  now = absl::Now();
  for (int i = events; i < 2 * events; ++i) batch.push_back(BookedSoon(i, hydralift, now));
  PublishAll(redis, std::move(batch));
  const double delivered_before = DeliveredCount(registry);
  redis_us = RedisMicros(redis);
  const std::clock_t cpu0 = std::clock();
  t0 = Clock::now();
  intake.Start();
  dispatcher.Start();
  wait_delivered(delivered_before, events, /*run_dispatcher=*/false);
  const double e2e_s = Seconds(Clock::now() - t0);
  const double e2e_cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  used = RedisMicros(redis) - redis_us;
  std::printf(
      "e2e       %d events in -> %d messages out in %.2f s: %.0f reminders/s (Redis busy "
      "%.0f us, engine CPU %.0f us per reminder)\n",
      events, events, e2e_s, events / e2e_s, used / events, e2e_cpu * 1e6 / events);

  // 4: lag of reminders coming due at a steady rate (dispatcher running).
  const int rate = absl::GetFlag(FLAGS_lag_rate);
  const int lag_count = rate * absl::GetFlag(FLAGS_lag_seconds);
  const absl::Time start = absl::Now() + absl::Seconds(1);
  std::vector<nf::WriteGroup> groups;
  std::vector<std::string> lag_ids;
  for (int i = 0; i < lag_count; ++i) {
    if (i % 500 == 0) groups.emplace_back().atomic = false;
    nf::internal::StoredReminder d;
    d.set_patient_id(PatientId(i % 1000));
    d.set_kind(nf::v1::REMINDER_KIND_FOLLOW_UP);
    d.set_rule_code("day7_result_check");
    d.set_appointment_id(SchedulingId("ap", 5'000'000 + i));
    d.set_protocol_id(hydralift);
    d.set_protocol_version(1);
    d.set_clinic_id("cl_0123456789abcdef0123");
    d.set_original_due_ms(nf::ToMillis(start + absl::Seconds(1) * i / rate));
    d.set_due_ms(d.original_due_ms());
    nf::ReminderWrite w;
    w.id = nf::ReminderId(nf::v1::REMINDER_KIND_FOLLOW_UP, d.appointment_id(), d.rule_code());
    w.value = nf::EncodeRecord(nf::v1::REMINDER_STATE_SCHEDULED, d);
    w.score = d.due_ms();
    w.patient_id = d.patient_id();
    lag_ids.push_back(w.id);
    groups.back().writes.push_back(std::move(w));
  }
  (void)store.Write(kOrg, groups);
  const double before_lag = DeliveredCount(registry);
  wait_delivered(before_lag, lag_count, /*run_dispatcher=*/false);
  intake.Stop();
  dispatcher.Stop();
  std::vector<double> lags;
  const nf::NotificationKeys keys = *nf::NotificationKeys::For(kOrg);
  const std::string& records = keys.records;
  for (size_t i = 0; i < lag_ids.size(); i += 1000) {
    std::vector<std::string> cmd = {"HMGET", records};
    for (size_t j = i; j < std::min(lag_ids.size(), i + 1000); ++j) cmd.push_back(lag_ids[j]);
    auto values = redis.Command(std::move(cmd));
    for (const auto& v : values->elements()) {
      auto r = nf::DecodeRecord("x", v.str());
      if (r.ok())
        lags.push_back(static_cast<double>(r->data.delivered_ms() - r->data.original_due_ms()));
    }
  }
  const Percentiles lag = Summarize(lags);
  std::printf(
      "lag       %d reminders due at %d/s: due -> delivered p50 %.0f ms, p99 %.0f ms, max %.0f "
      "ms\n",
      lag_count, rate, lag.p50, lag.p99, lag.max);

  // 5: memory per pending far-future reminder.
  (void)redis.Command({"FLUSHALL"});
  const int courses = absl::GetFlag(FLAGS_far_future) / 2;
  batch.clear();
  now = absl::Now();
  for (int i = 0; i < courses; ++i) batch.push_back(CourseDone(i, hydralift, now));
  nf::EventIntake memory_intake(redis, store.queue(), store.clinics(), store.events(), protocols,
                                patients, settings, metrics, common::SystemClock(), intake_options);
  PublishAll(redis, std::move(batch));
  const int64_t before = UsedMemory(redis);
  drain_intake(memory_intake, courses);
  const int64_t after = UsedMemory(redis);
  const int reminders = 2 * courses;
  std::printf(
      "memory    %d pending far-future reminders (MAINTENANCE + NUDGE of %d courses, one "
      "patient each): %.0f bytes each (used_memory %+.1f MB)\n",
      reminders, courses, static_cast<double>(after - before) / reminders, (after - before) / 1e6);
  auto usage = [&](const std::string& key) {
    auto r = redis.Command({"MEMORY", "USAGE", key, "SAMPLES", "0"});
    return r.ok() ? r->integer() : 0;
  };
  std::printf(
      "          of which: records hash %.0f B, queue zset %.0f B per reminder; one "
      "patient index %lld B\n",
      static_cast<double>(usage(records)) / reminders,
      static_cast<double>(usage(keys.queue)) / reminders,
      static_cast<long long>(usage(*keys.PatientIndex(PatientId(1'000'000)))));
  return 0;
}
