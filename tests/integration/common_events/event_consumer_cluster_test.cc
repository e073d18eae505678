// EventConsumer on a real Redis Cluster (3 primaries, 3 replicas): every
// tenant's stream is in its own hash slot, so the consumer reads them one
// per stream, pipelined per node; events of tenants on every primary arrive,
// each once, and are acked.
#include <set>
#include <string>
#include <vector>

#include "common/clock/clock.h"
#include "common/events/event_consumer.h"
#include "common/events/event_publisher.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_options.h"
#include "gtest/gtest.h"
#include "tests/support/redis_cluster.h"

namespace dermaflow::common {
namespace {

using dermaflow::events::v1::Event;

TEST(EventConsumerClusterTest, EventsOfTenantsOnEveryPrimaryArriveEachOnce) {
  testing::RedisCluster cluster;
  RedisClient redis(ParseRedisUrl(cluster.url()).value());
  FakeClock clock;
  EventPublisher publisher(redis, clock);
  constexpr int kOrgs = 30, kPerOrg = 5;
  std::set<std::string> published;
  for (int o = 0; o < kOrgs; ++o) {
    const std::string org = "org-" + std::to_string(o);
    for (int i = 0; i < kPerOrg; ++i) {
      Event event;
      event.set_organization(org);
      event.set_producer("patient");
      event.mutable_patient_erased()->set_patient_id(org + "-p" + std::to_string(i));
      ASSERT_TRUE(publisher.Publish(event).ok());
      published.insert(event.patient_erased().patient_id());
    }
  }
  EventConsumer consumer(redis, {.group = "g",
                                 .consumer = "c1",
                                 .batch_count = 100,
                                 .block_timeout = absl::Milliseconds(50),
                                 .min_idle = absl::Seconds(60),
                                 .org_refresh_interval = absl::ZeroDuration()});
  std::multiset<std::string> received;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (received.size() < published.size() && absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer.Poll();
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const ConsumedEvent& e : *batch) {
      received.insert(e.event.patient_erased().patient_id());
      ASSERT_TRUE(consumer.Ack(e).ok());
    }
  }
  EXPECT_EQ(std::set<std::string>(received.begin(), received.end()), published);
  EXPECT_EQ(received.size(), published.size());  // none twice
  // Nothing left for another consumer of the group.
  EventConsumer other(redis, {.group = "g",
                              .consumer = "c2",
                              .block_timeout = absl::Milliseconds(50),
                              .min_idle = absl::Seconds(60),
                              .org_refresh_interval = absl::ZeroDuration()});
  absl::StatusOr<std::vector<ConsumedEvent>> rest = other.Poll();
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_TRUE(rest->empty());
}

TEST(EventConsumerClusterTest, AStreamThatLostItsGroupHoldsUpNoOtherTenant) {
  testing::RedisCluster cluster;
  RedisClient redis(ParseRedisUrl(cluster.url()).value());
  FakeClock clock;
  EventPublisher publisher(redis, clock);
  auto publish = [&](const std::string& org, const std::string& patient) {
    Event event;
    event.set_organization(org);
    event.set_producer("patient");
    event.mutable_patient_erased()->set_patient_id(patient);
    ASSERT_TRUE(publisher.Publish(event).ok());
  };
  publish("org-a", "a0");
  publish("org-b", "b0");
  EventConsumer consumer(redis, {.group = "g",
                                 .consumer = "c1",
                                 .block_timeout = absl::Milliseconds(50),
                                 .min_idle = absl::Seconds(60),
                                 .org_refresh_interval = absl::ZeroDuration()});
  std::set<std::string> received;
  auto poll_until = [&](size_t n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (received.size() < n && absl::Now() < deadline) {
      absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer.Poll();
      ASSERT_TRUE(batch.ok()) << batch.status();
      for (const ConsumedEvent& e : *batch) {
        received.insert(e.event.patient_erased().patient_id());
        ASSERT_TRUE(consumer.Ack(e).ok());
      }
    }
  };
  poll_until(2);
  // org-a's group is gone (its stream deleted and made again); org-b's
  // events must still come through, and org-a's once its group is back.
  ASSERT_TRUE(redis.Command({"XGROUP", "DESTROY", StreamKey("org-a").value(), "g"}).ok());
  publish("org-a", "a1");
  publish("org-b", "b1");
  poll_until(4);
  EXPECT_EQ(received, (std::set<std::string>{"a0", "b0", "a1", "b1"}));
}

}  // namespace
}  // namespace dermaflow::common
