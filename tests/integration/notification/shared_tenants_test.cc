// Notification replicas sharing the organizations (common/replicas/
// tenant_share.h) on a real Redis: dispatchers as the binary wires them, each
// with its own TenantShare, sending to channels that record who sent what.
// A quiet organization is served by its home replica alone; a backlog gets
// every replica's help; so does work a stuck home replica leaves waiting; a
// replica that stops hands its organizations over at the others' next beat;
// every reminder goes out exactly once throughout.
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/caching_protocol_client.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_options.h"
#include "common/replicas/tenant_share.h"
#include "gtest/gtest.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/delivery/dispatcher.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_reminder_store.h"
#include "services/notification/store/redis_settings_store.h"
#include "services/protocol/domain/catalog.h"
#include "tests/support/redis_server.h"

namespace dermaflow::notification {
namespace {

constexpr char kHydralift[] = "8f14e45fceea167a5a36dedd4bea2543";
constexpr int kBatch = 50;

// Who sent which reminder of which organization, across all replicas.
class SendLog {
 public:
  void Sent(const std::string& replica, const OutgoingMessage& m) {
    std::lock_guard<std::mutex> lock(mu_);
    ++sends_[m.organization + "/" + m.reminder_id];
    senders_[m.organization].insert(replica);
    ++by_replica_[replica];
  }
  int total() {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& [key, count] : sends_) n += count;
    return n;
  }
  int distinct() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(sends_.size());
  }
  std::set<std::string> senders(const std::string& org) {
    std::lock_guard<std::mutex> lock(mu_);
    return senders_[org];
  }
  int sent_by(const std::string& replica) {
    std::lock_guard<std::mutex> lock(mu_);
    return by_replica_[replica];
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> sends_;
  std::map<std::string, std::set<std::string>> senders_;
  std::map<std::string, int> by_replica_;
};

class RecordingChannel : public Channel {
 public:
  RecordingChannel(std::string name, std::string replica, SendLog& log, absl::Duration latency)
      : name_(std::move(name)), replica_(std::move(replica)), log_(log), latency_(latency) {}
  std::string name() const override { return name_; }
  absl::Status Send(const OutgoingMessage& m) override {
    absl::SleepFor(latency_);  // a provider's answer takes a while
    log_.Sent(replica_, m);
    return absl::OkStatus();
  }
  bool external() const override { return false; }

 private:
  const std::string name_;
  const std::string replica_;
  SendLog& log_;
  const absl::Duration latency_;
};

patient::v1::Patient NoQuietHours() {
  patient::v1::Patient p = AnonymousPatientClient::Anonymous("de");
  p.mutable_quiet_hours();  // 00:00-00:00: the time of day does not matter
  return p;
}

// One notification replica's dispatcher, wired as the binary wires it.
struct Replica {
  Replica(const std::string& redis_url, std::string id, SendLog& log, absl::Duration latency,
          absl::Duration help_after)
      : id(std::move(id)),
        redis(*common::ParseRedisUrl(redis_url)),
        patients(patient_service, common::SystemClock(), {}),
        store(redis),
        settings_store(redis),
        settings(settings_store, common::SystemClock()),
        channels(std::make_unique<RecordingChannel>("email", this->id, log, latency),
                 std::make_unique<RecordingChannel>("sms", this->id, log, latency),
                 std::make_unique<RecordingChannel>("in_app", this->id, log, latency),
                 std::make_unique<RecordingChannel>("log", this->id, log, latency)),
        share(redis, registry, {.service = "notification", .replica_id = this->id}) {
    protocol_service.Put(kHydralift, protocol::FindCatalogEntry("mesotherapy_hydralift")->protocol);
    DispatcherOptions options;
    options.batch_size = kBatch;
    options.share = &share;
    options.org_refresh = absl::Milliseconds(100);
    options.help_after = help_after;
    dispatcher = std::make_unique<Dispatcher>(store.queue(), store.clinics(), store.events(),
                                              settings, patients, protocols, channels, metrics,
                                              common::SystemClock(), options);
  }

  std::string id;
  common::RedisClient redis;
  prometheus::Registry registry;
  NotificationMetrics metrics{registry};
  common::InMemoryProtocolClient protocol_service;
  common::CachingProtocolClient protocols{protocol_service};
  AnonymousPatientClient patient_service{NoQuietHours()};
  common::CachingPatientClient patients;
  RedisReminderStore store;
  RedisSettingsStore settings_store;
  SettingsCache settings;
  ChannelSet channels;
  common::TenantShare share;
  std::unique_ptr<Dispatcher> dispatcher;
};

class SharedTenantsTest : public ::testing::Test {
 protected:
  SharedTenantsTest() : redis_(*common::ParseRedisUrl(server_.url())), store_(redis_) {}

  // Replicas that all see each other before any of them dispatches.
  // Replicas that all see each other; the first `running` of them dispatch
  // (the others only beat: stuck replicas).
  void StartReplicas(const std::vector<std::string>& ids,
                     absl::Duration latency = absl::ZeroDuration(),
                     absl::Duration help_after = absl::Seconds(5), size_t running = 99) {
    for (const std::string& id : ids) {
      replicas_.push_back(std::make_unique<Replica>(server_.url(), id, log_, latency, help_after));
    }
    for (int round = 0; round < 2; ++round) {
      for (auto& r : replicas_) ASSERT_TRUE(r->share.Beat().ok());
    }
    for (size_t i = 0; i < replicas_.size(); ++i) {
      ASSERT_EQ(replicas_[i]->share.replicas().size(), ids.size());
      if (i < running) replicas_[i]->dispatcher->Start();
    }
  }

  // `count` follow-up reminders of `org`, due just now.
  void WriteDue(const std::string& org, int first, int count) {
    const absl::Time due = absl::Now() - absl::Milliseconds(100);
    std::vector<WriteGroup> groups;
    for (int i = first; i < first + count; ++i) {
      if (groups.empty() || groups.back().writes.size() == 500)
        groups.emplace_back().atomic = false;
      internal::StoredReminder d;
      d.set_patient_id(absl::StrCat("p", i % 20));
      d.set_kind(v1::REMINDER_KIND_FOLLOW_UP);
      d.set_rule_code("day7_result_check");
      d.set_appointment_id(absl::StrCat("ap_", i));
      d.set_protocol_id(kHydralift);
      d.set_protocol_version(1);
      d.set_clinic_id("cl_mitte");
      d.set_original_due_ms(ToMillis(due));
      d.set_due_ms(d.original_due_ms());
      ReminderWrite w;
      w.id = ReminderId(v1::REMINDER_KIND_FOLLOW_UP, d.appointment_id(), d.rule_code());
      w.value = EncodeRecord(v1::REMINDER_STATE_SCHEDULED, d);
      w.score = d.due_ms();
      w.patient_id = d.patient_id();
      groups.back().writes.push_back(std::move(w));
    }
    ASSERT_TRUE(store_.Write(org, groups).ok());
    ASSERT_TRUE(redis_.Command({"SADD", common::OrganizationsKey(), org}).ok());
  }

  bool WaitForSends(int n, absl::Duration limit = absl::Seconds(20)) {
    const absl::Time deadline = absl::Now() + limit;
    while (log_.total() < n && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
    absl::SleepFor(absl::Milliseconds(300));  // a duplicate would show by now
    return log_.total() >= n;
  }

  void TearDown() override {
    for (auto& r : replicas_) r->dispatcher->Stop();
  }

  testing::RedisServer server_;
  common::RedisClient redis_;
  RedisReminderStore store_;
  SendLog log_;
  std::vector<std::unique_ptr<Replica>> replicas_;
};

TEST_F(SharedTenantsTest, ProbeFindsDueRetryingAndExpiredClaimsWithoutClaiming) {
  WriteDue("probe-due", 0, 3);
  WriteDue("probe-expired", 0, 2);
  WriteDue("probe-held", 0, 2);
  const absl::Time now = absl::Now();
  // A reminder waiting for its retry, due a minute ago.
  const NotificationKeys keys = *NotificationKeys::For("probe-due");
  ASSERT_TRUE(
      redis_
          .Command({"ZADD", keys.retry, absl::StrCat(ToMillis(now - absl::Minutes(1))), "retry-id"})
          .ok());
  ASSERT_TRUE(store_.ClaimDue("probe-expired", now, absl::Milliseconds(1), 10).ok());
  ASSERT_TRUE(store_.ClaimDue("probe-held", now, absl::Minutes(5), 10).ok());
  absl::SleepFor(absl::Milliseconds(20));

  absl::StatusOr<std::vector<DueProbe>> probes = store_.ProbeDue(
      {"probe-due", "probe-expired", "probe-held", "probe-empty", "not a tenant!"}, now);
  ASSERT_TRUE(probes.ok()) << probes.status();
  ASSERT_EQ(probes->size(), 5u);
  const DueProbe& due = (*probes)[0];
  EXPECT_TRUE(due.known);
  EXPECT_EQ(due.due, 4);  // 3 queued + 1 retrying
  ASSERT_TRUE(due.oldest_due.has_value());
  EXPECT_EQ(ToMillis(*due.oldest_due), ToMillis(now - absl::Minutes(1)));
  EXPECT_FALSE(due.oldest_lease.has_value());
  const DueProbe& expired = (*probes)[1];
  EXPECT_EQ(expired.due, 0);
  ASSERT_TRUE(expired.oldest_lease.has_value());
  EXPECT_LT(*expired.oldest_lease, absl::Now());
  const DueProbe& held = (*probes)[2];
  EXPECT_EQ(held.due, 0);
  ASSERT_TRUE(held.oldest_lease.has_value());
  EXPECT_GT(*held.oldest_lease, absl::Now() + absl::Minutes(4));
  EXPECT_TRUE((*probes)[3].known);
  EXPECT_EQ((*probes)[3].due, 0);
  EXPECT_FALSE((*probes)[4].known) << "a name no tenant can have";
  // Nothing was claimed by probing.
  absl::StatusOr<QueueCounts> counts = store_.CountQueue("probe-due", now);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->due, 3);
  EXPECT_EQ(counts->in_flight, 0);
}

TEST_F(SharedTenantsTest, EachQuietOrganizationIsServedByItsHomeReplicaAlone) {
  const std::vector<std::string> ids = {"replica-a", "replica-b", "replica-c"};
  ASSERT_NO_FATAL_FAILURE(StartReplicas(ids));
  constexpr int kOrgs = 30;
  constexpr int kEach = 5;  // far below a batch: no organization needs help
  for (int o = 0; o < kOrgs; ++o) WriteDue(absl::StrCat("clinic-", o), 0, kEach);

  ASSERT_TRUE(WaitForSends(kOrgs * kEach)) << log_.total() << " sent";
  EXPECT_EQ(log_.total(), kOrgs * kEach) << "a reminder was sent twice";
  EXPECT_EQ(log_.distinct(), kOrgs * kEach);
  for (int o = 0; o < kOrgs; ++o) {
    const std::string org = absl::StrCat("clinic-", o);
    EXPECT_EQ(log_.senders(org), std::set<std::string>{common::HomeReplica(org, ids)}) << org;
  }
  for (const std::string& id : ids) EXPECT_GT(log_.sent_by(id), 0) << id << " had no home";
}

TEST_F(SharedTenantsTest, ABacklogGetsEveryReplicasHelp) {
  // 5 ms a send, 8 workers: one replica alone would need 2.5 s, while the
  // other looks around every 250 ms.
  ASSERT_NO_FATAL_FAILURE(StartReplicas({"replica-a", "replica-b"}, absl::Milliseconds(5)));
  constexpr int kBacklog = 4000;  // 80 batches
  WriteDue("big-chain", 0, kBacklog);

  ASSERT_TRUE(WaitForSends(kBacklog, absl::Seconds(60))) << log_.total() << " sent";
  EXPECT_EQ(log_.total(), kBacklog) << "a reminder was sent twice";
  EXPECT_EQ(log_.senders("big-chain"), (std::set<std::string>{"replica-a", "replica-b"}));
  std::cerr << "[shared] backlog of " << kBacklog << ": replica-a sent "
            << log_.sent_by("replica-a") << ", replica-b " << log_.sent_by("replica-b") << "\n";
}

TEST_F(SharedTenantsTest, WorkAStuckHomeReplicaLeavesWaitingIsTakenOver) {
  // replica-b beats (it looks alive) but never dispatches.
  const std::vector<std::string> ids = {"replica-a", "replica-b"};
  ASSERT_NO_FATAL_FAILURE(StartReplicas(ids, absl::ZeroDuration(), absl::Seconds(1),
                                        /*running=*/1));
  constexpr int kOrgs = 10;
  int of_b = 0;
  const absl::Time start = absl::Now();
  for (int o = 0; o < kOrgs; ++o) {
    const std::string org = absl::StrCat("clinic-", o);
    of_b += common::HomeReplica(org, ids) == "replica-b";
    WriteDue(org, 0, 3);
  }
  ASSERT_GT(of_b, 0) << "pick other organization names: none was replica-b's";
  ASSERT_TRUE(WaitForSends(kOrgs * 3, absl::Seconds(15))) << log_.total() << " sent";
  EXPECT_EQ(log_.total(), kOrgs * 3);
  EXPECT_EQ(log_.sent_by("replica-a"), kOrgs * 3);
  // Not before the work had waited help_after (1 s) at least.
  EXPECT_GE(absl::Now() - start, absl::Seconds(1));
}

TEST_F(SharedTenantsTest, AnOrganizationNameThatCannotBeATenantStopsNobody) {
  ASSERT_NO_FATAL_FAILURE(StartReplicas({"replica-a"}));
  ASSERT_TRUE(redis_.Command({"SADD", common::OrganizationsKey(), "not a tenant!"}).ok());
  WriteDue("clinic-1", 0, 3);
  ASSERT_TRUE(WaitForSends(3, absl::Seconds(10))) << log_.total() << " sent";
}

TEST_F(SharedTenantsTest, AStoppedReplicasOrganizationsMoveToTheOthersAtTheirNextBeat) {
  const std::vector<std::string> ids = {"replica-a", "replica-b"};
  ASSERT_NO_FATAL_FAILURE(StartReplicas(ids));
  replicas_[1]->dispatcher->Stop();
  replicas_[1]->share.Stop();                    // leaves the set
  ASSERT_TRUE(replicas_[0]->share.Beat().ok());  // replica-a's next beat
  EXPECT_EQ(replicas_[0]->share.replicas(), std::vector<std::string>{"replica-a"});

  constexpr int kOrgs = 10;
  int of_b = 0;
  for (int o = 0; o < kOrgs; ++o) {
    const std::string org = absl::StrCat("clinic-", o);
    of_b += common::HomeReplica(org, ids) == "replica-b";
    WriteDue(org, 0, 3);
  }
  ASSERT_GT(of_b, 0) << "pick other organization names: none was replica-b's";
  ASSERT_TRUE(WaitForSends(kOrgs * 3, absl::Seconds(10))) << log_.total() << " sent";
  EXPECT_EQ(log_.total(), kOrgs * 3);
  EXPECT_EQ(log_.sent_by("replica-a"), kOrgs * 3);
}

}  // namespace
}  // namespace dermaflow::notification
