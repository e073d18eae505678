// notification_bench: the reminder engine as the binary wires it (intake,
// dispatcher, Redis stores, log channel, anonymous local patients without
// quiet hours, the built-in "mesotherapy_hydralift" protocol), on one
// phase's private Redis; plus the checks that a phase lost nothing.
//
//   BenchRedis server({.aof = true});
//   EngineHarness engine(server.url(), {.batch = 200});
//   engine.intake.Start(); engine.dispatcher.Start();
//   WaitFor("delivery", [&] { return engine.Delivered(); }, n);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bench/notification/bench_events.h"
#include "bench/notification/bench_redis.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/caching_protocol_client.h"
#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "common/replicas/tenant_share.h"
#include "prometheus/registry.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/delivery/dispatcher.h"
#include "services/notification/delivery/park_promoter.h"
#include "services/notification/intake/event_intake.h"
#include "services/notification/store/redis_reminder_store.h"
#include "services/notification/store/redis_settings_store.h"

namespace dermaflow::bench {

struct EngineOptions {
  int batch = 200;                 // dispatcher batch
  int consumer_batch = 200;        // events per poll
  std::string consumer = "bench";  // consumer name in the group: one per replica
  const common::Clock* clock = &common::SystemClock();
  // As deployed: reminders due 48 h ahead or more are parked, and the
  // dispatcher's loop promotes them (its clock is `clock`).
  notification::RedisReminderQueueOptions queue = {.park_after = absl::Hours(48)};
  // As deployed replicas do: share the organizations through a TenantShare
  // (one home replica each, the others help with a backlog). Started with
  // the harness; `consumer` is the replica's id.
  bool share_tenants = false;
};

class EngineHarness {
 public:
  EngineHarness(const std::string& redis_url, const EngineOptions& options);

  // Delivered reminders counted by the engine's metric since construction.
  double Delivered();

  common::RedisClient redis;
  prometheus::Registry registry;
  notification::NotificationMetrics metrics{registry};
  common::InMemoryProtocolClient protocol_service;
  common::CachingProtocolClient protocols{protocol_service};
  notification::AnonymousPatientClient patient_service;
  common::CachingPatientClient patients;
  notification::RedisReminderStore store;
  notification::RedisSettingsStore settings_store;
  notification::SettingsCache settings;
  notification::ChannelSet channels;
  notification::ParkPromoter promoter;
  std::unique_ptr<common::TenantShare> share;  // null unless share_tenants
  std::unique_ptr<notification::EventIntake> intake;
  std::unique_ptr<notification::Dispatcher> dispatcher;
};

// Calls `count` until it reaches `target`; throws ("stalled: <what>") when
// it has not moved for 30 s, so a lost event fails the bench instead of
// hanging it.
void WaitFor(const char* what, const std::function<double()>& count, double target);

// Reminders in `org`'s done index: the delivered ones, as CheckSettled
// counts them (one ZCARD, cheap enough to poll).
int64_t DeliveredIn(BenchRedis& server, const std::string& org = kOrg);

// Throws unless the phase's Redis holds exactly `delivered` delivered and
// `scheduled` scheduled reminders (queued or parked), none in flight,
// retrying or dead, and no event unacknowledged by the consumer group.
void CheckSettled(BenchRedis& server, int64_t delivered, int64_t scheduled);

}  // namespace dermaflow::bench
