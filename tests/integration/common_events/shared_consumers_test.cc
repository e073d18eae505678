// Replicas sharing the organizations (common/replicas) on a real
// redis-server: the membership set, and EventConsumers that read their home
// organizations' streams, help with a backlog, and look around.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/events/event_consumer.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_options.h"
#include "common/replicas/tenant_share.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using dermaflow::events::v1::Event;

// The value of dermaflow_replicas_live in `registry` (fails if missing).
double LiveGauge(prometheus::Registry& registry) {
  for (const auto& family : registry.Collect()) {
    if (family.name == "dermaflow_replicas_live") return family.metric.at(0).gauge.value;
  }
  ADD_FAILURE() << "no dermaflow_replicas_live";
  return -1;
}

class SharedConsumersTest : public ::testing::Test {
 protected:
  SharedConsumersTest()
      : redis_(ParseRedisUrl(server_.url()).value()), publisher_(redis_, clock_) {}

  TenantShareOptions Share(std::string id, absl::Duration ttl = absl::Seconds(6)) {
    return {.service = "notification", .replica_id = std::move(id), .ttl = ttl};
  }

  EventConsumerOptions Consumer(std::string id, const TenantShare* share) {
    return {.group = "notification",
            .consumer = std::move(id),
            .batch_count = 10,
            .block_timeout = absl::Milliseconds(20),
            .min_idle = absl::Seconds(60),
            .org_refresh_interval = absl::ZeroDuration(),
            .share = share,
            .look_around = absl::Hours(1)};  // only the first poll looks around
  }

  void Publish(const std::string& org, int n) {
    for (int i = 0; i < n; ++i) {
      Event event;
      event.set_organization(org);
      event.set_producer("patient");
      event.mutable_patient_erased()->set_patient_id(absl::StrCat(org, "-p", i));
      ASSERT_TRUE(publisher_.Publish(event).ok());
    }
  }

  // Organization -> events this consumer got in `polls` polls (acked).
  static std::map<std::string, int> Drain(EventConsumer& consumer, int polls) {
    std::map<std::string, int> got;
    for (int i = 0; i < polls; ++i) {
      absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer.Poll();
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok()) break;
      for (const ConsumedEvent& e : *batch) {
        EXPECT_TRUE(consumer.Ack(e).ok());
        ++got[e.event.organization()];
      }
    }
    return got;
  }

  dermaflow::testing::RedisServer server_;
  RedisClient redis_;
  FakeClock clock_;
  EventPublisher publisher_;
  prometheus::Registry registry_;
};

TEST_F(SharedConsumersTest, ReplicasSeeEachOtherAndOneThatStopsLeavesTheSet) {
  TenantShare a(redis_, registry_, Share("replica-a"));
  prometheus::Registry other_registry;
  TenantShare b(redis_, other_registry, Share("replica-b"));
  EXPECT_TRUE(a.IsHome("any-org")) << "alone before its first beat";
  ASSERT_TRUE(a.Beat().ok());
  ASSERT_TRUE(b.Beat().ok());
  ASSERT_TRUE(a.Beat().ok());
  EXPECT_EQ(a.replicas(), (std::vector<std::string>{"replica-a", "replica-b"}));
  int home_of_a = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string org = absl::StrCat("clinic-", i);
    EXPECT_NE(a.IsHome(org), b.IsHome(org)) << org << ": exactly one home";
    home_of_a += a.IsHome(org);
  }
  EXPECT_GT(home_of_a, 25);
  EXPECT_LT(home_of_a, 75);

  b.Stop();
  ASSERT_TRUE(a.Beat().ok());
  EXPECT_EQ(a.replicas(), std::vector<std::string>{"replica-a"});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(a.IsHome(absl::StrCat("clinic-", i)));
}

TEST_F(SharedConsumersTest, AReplicaThatStopsBeatingDropsOutAfterItsTtl) {
  TenantShare a(redis_, registry_, Share("replica-a", absl::Seconds(1)));
  prometheus::Registry other_registry;
  TenantShare dead(redis_, other_registry, Share("replica-dead", absl::Seconds(1)));
  ASSERT_TRUE(dead.Beat().ok());
  ASSERT_TRUE(a.Beat().ok());
  EXPECT_EQ(a.replicas().size(), 2u);
  EXPECT_EQ(LiveGauge(registry_), 2);
  absl::SleepFor(absl::Milliseconds(1500));  // `dead` never beats again (no Stop: a crash)
  ASSERT_TRUE(a.Beat().ok());
  EXPECT_EQ(a.replicas(), std::vector<std::string>{"replica-a"});
  EXPECT_EQ(LiveGauge(registry_), 1);
}

TEST_F(SharedConsumersTest, RunningSharesBeatOnTheirOwnAndLeaveWhenStopped) {
  TenantShare a(redis_, registry_, Share("replica-a", absl::Milliseconds(600)));
  prometheus::Registry other_registry;
  TenantShare b(redis_, other_registry, Share("replica-b", absl::Milliseconds(600)));
  a.Start();
  b.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (a.replicas().size() < 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  ASSERT_EQ(a.replicas(), (std::vector<std::string>{"replica-a", "replica-b"}));
  b.Stop();
  EXPECT_EQ(redis_.Command({"ZSCORE", "df:replicas:notification", "replica-b"})->is_nil(), true)
      << "a stopped replica leaves the set";
  while (a.replicas().size() > 1 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(a.replicas(), std::vector<std::string>{"replica-a"}) << "within a's next beat";
  a.Stop();
}

TEST_F(SharedConsumersTest, AReplicaThatCannotBeatForLongerThanItsTtlWorksAlone) {
  TenantShare a(redis_, registry_, Share("replica-a", absl::Milliseconds(500)));
  prometheus::Registry other_registry;
  TenantShare b(redis_, other_registry, Share("replica-b", absl::Milliseconds(500)));
  for (TenantShare* s : {&a, &b, &a}) ASSERT_TRUE(s->Beat().ok());
  std::vector<std::string> of_b;
  for (int i = 0; i < 20; ++i) {
    if (!a.IsHome(absl::StrCat("clinic-", i))) of_b.push_back(absl::StrCat("clinic-", i));
  }
  ASSERT_FALSE(of_b.empty());
  server_.Stop();
  EXPECT_FALSE(a.Beat().ok());
  EXPECT_FALSE(a.IsHome(of_b[0])) << "a short outage keeps the view";
  absl::SleepFor(absl::Milliseconds(600));
  EXPECT_FALSE(a.Beat().ok());
  for (const std::string& org : of_b) EXPECT_TRUE(a.IsHome(org)) << org;
  EXPECT_EQ(LiveGauge(registry_), 0) << "the gauge shows it sees nobody";
}

TEST_F(SharedConsumersTest, EachConsumerReadsItsHomeStreamsAndHelpsWithABacklog) {
  std::vector<std::string> orgs;
  for (int i = 0; i < 12; ++i) orgs.push_back(absl::StrCat("clinic-", i));
  for (const std::string& org : orgs) Publish(org, 1);  // the streams exist
  TenantShare share_a(redis_, registry_, Share("replica-a"));
  prometheus::Registry other_registry;
  TenantShare share_b(redis_, other_registry, Share("replica-b"));
  for (TenantShare* s : {&share_a, &share_b, &share_a}) ASSERT_TRUE(s->Beat().ok());
  EventConsumer a(redis_, Consumer("replica-a", &share_a));
  EventConsumer b(redis_, Consumer("replica-b", &share_b));
  // The first polls look at every stream (and take the first events).
  Drain(a, 2);
  Drain(b, 2);

  // Quiet organizations: one event each, read by its home replica only.
  for (const std::string& org : orgs) Publish(org, 1);
  std::map<std::string, int> by_a = Drain(a, 3);
  std::map<std::string, int> by_b = Drain(b, 3);
  for (const std::string& org : orgs) {
    const std::string home = HomeReplica(org, {"replica-a", "replica-b"});
    EXPECT_EQ((home == "replica-a" ? by_a : by_b)[org], 1) << org << " (home " << home << ")";
    EXPECT_EQ((home == "replica-a" ? by_b : by_a)[org], 0) << org << " read away from home";
  }

  // A backlog in one of a's organizations: b (started again, so it looks
  // around on its first poll) sees a full read, and from then on helps on
  // every poll, though its next look around is an hour away.
  std::string big;
  for (const std::string& org : orgs) {
    if (share_a.IsHome(org)) big = org;
  }
  ASSERT_FALSE(big.empty());
  Publish(big, 200);
  EventConsumer b_looking(redis_, Consumer("replica-b", &share_b));
  int by_a_big = 0, by_b_big = 0;
  for (int i = 0; i < 40 && by_a_big + by_b_big < 200; ++i) {
    by_a_big += Drain(a, 1)[big];
    by_b_big += Drain(b_looking, 1)[big];
  }
  EXPECT_EQ(by_a_big + by_b_big, 200);
  EXPECT_GT(by_b_big, 10) << "b helped on its look around only";
  EXPECT_GT(by_a_big, 0);
}

}  // namespace
}  // namespace dermaflow::common
