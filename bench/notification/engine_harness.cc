#include "bench/notification/engine_harness.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/notification/bench_events.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_options.h"
#include "services/notification/delivery/channels/in_app_channel.h"
#include "services/notification/delivery/channels/log_channel.h"
#include "services/notification/store/notification_keys.h"
#include "services/protocol/domain/catalog.h"

namespace dermaflow::bench {
namespace nf = notification;
namespace {

common::RedisOptions EngineRedis(const std::string& url) {
  common::RedisOptions options = *common::ParseRedisUrl(url);
  options.pool_size = 8;
  return options;
}

// Anonymous German patients reached by e-mail (to the quiet log channel),
// without quiet hours so the numbers do not depend on the time of day.
patient::v1::Patient NoQuietHours() {
  patient::v1::Patient p = nf::AnonymousPatientClient::Anonymous("de");
  p.mutable_quiet_hours();  // 00:00-00:00
  return p;
}

nf::RedisReminderQueueOptions WithClock(nf::RedisReminderQueueOptions options,
                                        const common::Clock* clock) {
  options.clock = clock;
  return options;
}

}  // namespace

EngineHarness::EngineHarness(const std::string& redis_url, const EngineOptions& options)
    : redis(EngineRedis(redis_url)),
      patient_service(NoQuietHours()),
      patients(patient_service, *options.clock, {}),
      store(redis, WithClock(options.queue, options.clock)),
      settings_store(redis),
      settings(settings_store, *options.clock),
      channels(nullptr, nullptr, std::make_unique<nf::InAppChannel>(),
               std::make_unique<nf::LogChannel>(/*quiet=*/true)),
      promoter(store.parking(), metrics, {.park_after = options.queue.park_after}) {
  protocol_service.Put(kHydralift, protocol::FindCatalogEntry("mesotherapy_hydralift")->protocol);
  if (options.share_tenants) {
    share = std::make_unique<common::TenantShare>(
        redis, registry,
        common::TenantShareOptions{.service = "notification", .replica_id = options.consumer});
    share->Start();
  }
  nf::EventIntakeOptions intake_options;
  intake_options.consumer.share = share.get();
  intake_options.consumer.consumer = options.consumer;
  intake_options.consumer.batch_count = options.consumer_batch;
  intake_options.consumer.block_timeout = absl::Milliseconds(100);
  intake = std::make_unique<nf::EventIntake>(redis, store.queue(), store.clinics(), store.events(),
                                             protocols, patients, settings, metrics, *options.clock,
                                             intake_options);
  nf::DispatcherOptions dispatch_options;
  dispatch_options.batch_size = options.batch;
  dispatch_options.share = share.get();
  dispatcher = std::make_unique<nf::Dispatcher>(store.queue(), store.clinics(), store.events(),
                                                settings, patients, protocols, channels, metrics,
                                                *options.clock, dispatch_options,
                                                /*links=*/nullptr, &promoter);
}

double EngineHarness::Delivered() {
  double total = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != "dermaflow_reminders_delivered_total") continue;
    for (const auto& m : family.metric) total += m.counter.value;
  }
  return total;
}

void WaitFor(const char* what, const std::function<double()>& count, double target) {
  double last = -1;
  auto moved = std::chrono::steady_clock::now();
  for (double now = count(); now < target; now = count()) {
    if (now != last) {
      last = now;
      moved = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - moved > std::chrono::seconds(30)) {
      throw std::runtime_error(absl::StrCat("stalled: ", what, " at ", now, " of ", target));
    }
  }
}

int64_t DeliveredIn(BenchRedis& server, const std::string& org) {
  absl::StatusOr<common::RedisReply> r =
      server.admin().Command({"ZCARD", nf::NotificationKeys::For(org)->done});
  if (!r.ok()) throw std::runtime_error("ZCARD: " + r.status().ToString());
  return r->integer();
}

void CheckSettled(BenchRedis& server, int64_t delivered, int64_t scheduled) {
  const nf::NotificationKeys keys = *nf::NotificationKeys::For(kOrg);
  common::RedisClient& redis = server.admin();
  absl::StatusOr<std::vector<common::RedisReply>> r =
      redis.Pipeline({{"ZCARD", keys.done},
                      {"ZCARD", keys.queue},
                      {"ZCARD", keys.inflight},
                      {"ZCARD", keys.retry},
                      {"ZCARD", keys.dead},
                      {"XPENDING", *common::StreamKey(kOrg), "notification"},
                      {"GET", keys.parked}});
  if (!r.ok()) throw std::runtime_error("check: " + r.status().ToString());
  const int64_t pending = (*r)[5].elements().empty() ? 0 : (*r)[5].elements()[0].integer();
  const int64_t parked = (*r)[6].is_nil() ? 0 : (*r)[6].AsInt().value_or(-1);
  const int64_t got[] = {(*r)[0].integer(), (*r)[1].integer() + parked, (*r)[2].integer(),
                         (*r)[3].integer(), (*r)[4].integer(),          pending};
  const int64_t want[] = {delivered, scheduled, 0, 0, 0, 0};
  const char* names[] = {"done", "scheduled", "in flight", "retrying", "dead", "unacked events"};
  for (int i = 0; i < 6; ++i) {
    if (got[i] != want[i]) {
      throw std::runtime_error(
          absl::StrCat("lost or stuck: ", names[i], " = ", got[i], ", expected ", want[i]));
    }
  }
}

}  // namespace dermaflow::bench
