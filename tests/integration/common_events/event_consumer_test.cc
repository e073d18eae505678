// EventConsumer on a real redis-server: the at-least-once contract.
#include "common/events/event_consumer.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/clock/clock.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using dermaflow::events::v1::Event;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

constexpr absl::Duration kWaitLimit = absl::Seconds(10);

Event Erased(std::string org, std::string patient) {
  Event event;
  event.set_organization(std::move(org));
  event.set_producer("patient");
  event.mutable_patient_erased()->set_patient_id(std::move(patient));
  return event;
}

class EventConsumerTest : public ::testing::Test {
 protected:
  EventConsumerTest() : redis_(ParseRedisUrl(server_.url()).value()), publisher_(redis_, clock_) {}

  EventConsumerOptions Options(std::string group, std::string consumer) {
    return {.group = std::move(group),
            .consumer = std::move(consumer),
            .batch_count = 100,
            .block_timeout = absl::Milliseconds(50),
            .min_idle = absl::Seconds(60),
            .org_refresh_interval = absl::ZeroDuration()};
  }

  // Publishes `n` events for `org`; returns their patient ids (p0, p1...).
  std::vector<std::string> PublishN(const std::string& org, int n) {
    std::vector<std::string> patients;
    for (int i = 0; i < n; ++i) {
      patients.push_back(org + "-p" + std::to_string(i));
      EXPECT_TRUE(publisher_.Publish(Erased(org, patients.back())).ok());
    }
    return patients;
  }

  // Polls until `n` events arrived or kWaitLimit passed.
  static std::vector<ConsumedEvent> PollUntil(EventConsumer& consumer, size_t n) {
    std::vector<ConsumedEvent> all;
    absl::Time deadline = absl::Now() + kWaitLimit;
    while (all.size() < n && absl::Now() < deadline) {
      absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer.Poll();
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok()) break;
      for (ConsumedEvent& e : *batch) all.push_back(std::move(e));
    }
    return all;
  }

  static std::vector<std::string> Patients(const std::vector<ConsumedEvent>& events) {
    std::vector<std::string> patients;
    for (const ConsumedEvent& e : events) patients.push_back(e.event.patient_erased().patient_id());
    return patients;
  }

  int64_t Pending(const std::string& stream, const std::string& group) {
    return redis_.Command({"XPENDING", stream, group})->elements().at(0).integer();
  }

  dermaflow::testing::RedisServer server_;
  RedisClient redis_;
  FakeClock clock_;
  EventPublisher publisher_;
};

TEST_F(EventConsumerTest, OneGroupSplitsEventsWithoutDuplicatesAnotherGroupGetsThemAll) {
  std::vector<std::string> published = PublishN("acme", 20);

  EventConsumerOptions small = Options("notification", "worker-1");
  small.batch_count = 3;
  EventConsumer first(redis_, small);
  small.consumer = "worker-2";
  EventConsumer second(redis_, small);

  std::vector<ConsumedEvent> got_first, got_second;
  absl::Time deadline = absl::Now() + kWaitLimit;
  while (got_first.size() + got_second.size() < published.size() && absl::Now() < deadline) {
    for (auto [consumer, sink] : {std::pair{&first, &got_first}, std::pair{&second, &got_second}}) {
      absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer->Poll();
      ASSERT_TRUE(batch.ok()) << batch.status();
      for (ConsumedEvent& e : *batch) {
        ASSERT_TRUE(consumer->Ack(e).ok());
        sink->push_back(std::move(e));
      }
    }
  }
  EXPECT_THAT(got_first, ::testing::Not(IsEmpty()));
  EXPECT_THAT(got_second, ::testing::Not(IsEmpty()));
  std::vector<std::string> together = Patients(got_first);
  for (const std::string& p : Patients(got_second)) together.push_back(p);
  EXPECT_THAT(together, UnorderedElementsAreArray(published));  // each exactly once
  EXPECT_THAT(first.Poll().value(), IsEmpty());
  EXPECT_THAT(second.Poll().value(), IsEmpty());
  EXPECT_EQ(Pending("df:{acme}:events", "notification"), 0);

  EventConsumer other_group(redis_, Options("analytics", "worker-1"));
  EXPECT_THAT(Patients(PollUntil(other_group, published.size())),
              UnorderedElementsAreArray(published));
}

TEST_F(EventConsumerTest, UnackedEventsAreReclaimedAfterMinIdleAckedOnesAreNot) {
  std::vector<std::string> published = PublishN("acme", 4);
  EventConsumerOptions options = Options("notification", "crashing");
  options.min_idle = absl::Milliseconds(500);
  EventConsumer crashing(redis_, options);
  options.consumer = "survivor";
  EventConsumer survivor(redis_, options);

  std::vector<ConsumedEvent> taken = PollUntil(crashing, 4);
  ASSERT_EQ(taken.size(), 4u);
  ASSERT_TRUE(crashing.Ack(taken[0]).ok());
  ASSERT_TRUE(crashing.Ack(taken[1]).ok());
  // "crashing" now dies with taken[2] and taken[3] pending.

  // Not yet idle long enough: nothing to take over.
  EXPECT_THAT(survivor.Poll().value(), IsEmpty());

  std::vector<ConsumedEvent> reclaimed = PollUntil(survivor, 2);
  EXPECT_THAT(Patients(reclaimed),
              UnorderedElementsAreArray({Patients(taken)[2], Patients(taken)[3]}));
  for (const ConsumedEvent& e : reclaimed) {
    EXPECT_TRUE(e.reclaimed);
    ASSERT_TRUE(survivor.Ack(e).ok());
  }
  EXPECT_EQ(survivor.reclaimed_count(), 2);
  EXPECT_EQ(Pending("df:{acme}:events", "notification"), 0);
  // Nothing comes back once everything is acked, however long we wait.
  absl::SleepFor(options.min_idle);
  EXPECT_THAT(survivor.Poll().value(), IsEmpty());
  EXPECT_THAT(crashing.Poll().value(), IsEmpty());
}

// The heartbeat of a slow but live consumer: its events stay its own however
// long past min_idle it works on them; once it falls silent they go to
// another consumer, and its late heartbeat does not claim them back.
TEST_F(EventConsumerTest, KeptPendingEventsStayWithTheirConsumerUntilItFallsSilent) {
  PublishN("acme", 3);
  EventConsumerOptions options = Options("notification", "slow");
  options.min_idle = absl::Seconds(1);
  EventConsumer slow(redis_, options);
  options.consumer = "other";
  EventConsumer other(redis_, options);

  std::vector<ConsumedEvent> taken = PollUntil(slow, 3);
  ASSERT_EQ(taken.size(), 3u);
  std::vector<ConsumedEvent> stolen;
  for (absl::Time end = absl::Now() + 3 * options.min_idle; absl::Now() < end;) {
    absl::StatusOr<int> kept = slow.KeepPending(taken);
    ASSERT_TRUE(kept.ok()) << kept.status();
    EXPECT_EQ(*kept, 3);
    std::vector<ConsumedEvent> got = other.Poll().value();
    stolen.insert(stolen.end(), got.begin(), got.end());
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(stolen, IsEmpty()) << "a live consumer's events were taken over";

  // Silent now: after min_idle the other consumer takes them over.
  std::vector<ConsumedEvent> reclaimed = PollUntil(other, 3);
  ASSERT_EQ(reclaimed.size(), 3u);
  absl::StatusOr<int> kept = slow.KeepPending(taken);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, 0);
  absl::StatusOr<RedisReply> owners =
      redis_.Command({"XPENDING", "df:{acme}:events", "notification", "-", "+", "10"});
  ASSERT_TRUE(owners.ok()) << owners.status();
  ASSERT_EQ(owners->elements().size(), 3u);
  for (const RedisReply& entry : owners->elements()) EXPECT_EQ(entry.elements()[1].str(), "other");
  // Acked events are not kept either.
  for (const ConsumedEvent& e : reclaimed) ASSERT_TRUE(other.Ack(e).ok());
  kept = other.KeepPending(reclaimed);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, 0);
}

TEST_F(EventConsumerTest, PoisonEntriesAreAckedAndCountedNotDelivered) {
  ASSERT_TRUE(publisher_.RegisterOrganization("acme").ok());
  const std::string stream = "df:{acme}:events";
  Event other_tenant = Erased("globex", "p-x");
  other_tenant.set_id("foreign");
  ASSERT_TRUE(redis_
                  .Pipeline({
                      {"XADD", stream, "*", "x", "no e field"},
                      {"XADD", stream, "*", "e", "\xff\xff\xff\xff"},
                      {"XADD", stream, "*", "e", other_tenant.SerializeAsString()},
                  })
                  .ok());
  std::vector<std::string> good = PublishN("acme", 1);

  EventConsumer consumer(redis_, Options("notification", "c1"));
  std::vector<ConsumedEvent> events = PollUntil(consumer, 1);
  EXPECT_THAT(Patients(events), UnorderedElementsAreArray(good));
  EXPECT_EQ(consumer.poison_count(), 3);
  EXPECT_EQ(Pending(stream, "notification"), 1);  // only the good, unacked one
  ASSERT_TRUE(consumer.Ack(events[0]).ok());
  EXPECT_EQ(Pending(stream, "notification"), 0);
}

TEST_F(EventConsumerTest, UnknownPayloadIsDeliveredNotPoison) {
  ASSERT_TRUE(publisher_.RegisterOrganization("acme").ok());
  Event future;  // as parsed from a newer producer's payload case
  future.set_organization("acme");
  future.set_id("from-the-future");
  ASSERT_TRUE(
      redis_.Command({"XADD", "df:{acme}:events", "*", "e", future.SerializeAsString()}).ok());
  EventConsumer consumer(redis_, Options("notification", "c1"));
  std::vector<ConsumedEvent> events = PollUntil(consumer, 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event.payload_case(), Event::PAYLOAD_NOT_SET);
  EXPECT_EQ(consumer.poison_count(), 0);
}

TEST_F(EventConsumerTest, TenantStreamsDoNotMix) {
  std::vector<std::string> acme = PublishN("acme", 3);
  std::vector<std::string> globex = PublishN("globex", 2);
  EventConsumer consumer(redis_, Options("notification", "c1"));
  std::vector<ConsumedEvent> events = PollUntil(consumer, 5);
  ASSERT_EQ(events.size(), 5u);
  std::map<std::string, std::vector<std::string>> by_org;
  for (const ConsumedEvent& e : events) {
    EXPECT_EQ(e.stream, StreamKey(e.event.organization()).value());
    by_org[e.event.organization()].push_back(e.event.patient_erased().patient_id());
  }
  EXPECT_THAT(by_org["acme"], UnorderedElementsAreArray(acme));
  EXPECT_THAT(by_org["globex"], UnorderedElementsAreArray(globex));
  EXPECT_THAT(consumer.streams(), ::testing::ElementsAre("df:{acme}:events", "df:{globex}:events"));
}

TEST_F(EventConsumerTest, OrganizationsAppearingLaterAreDiscovered) {
  EventConsumer consumer(redis_, Options("notification", "c1"));
  EXPECT_THAT(consumer.Poll().value(), IsEmpty());  // no organization yet
  std::vector<std::string> acme = PublishN("acme", 1);
  EXPECT_THAT(Patients(PollUntil(consumer, 1)), UnorderedElementsAreArray(acme));
  std::vector<std::string> globex = PublishN("globex", 1);
  EXPECT_THAT(Patients(PollUntil(consumer, 1)), UnorderedElementsAreArray(globex));
}

TEST_F(EventConsumerTest, RecoversWhenAStreamIsDeletedAndRecreated) {
  PublishN("acme", 1);
  EventConsumer consumer(redis_, Options("notification", "c1"));
  ASSERT_EQ(PollUntil(consumer, 1).size(), 1u);
  ASSERT_TRUE(redis_.Command({"DEL", "df:{acme}:events"}).ok());  // group gone with it
  std::vector<std::string> again = PublishN("acme", 1);
  EXPECT_THAT(Patients(PollUntil(consumer, 1)), UnorderedElementsAreArray(again));
}

TEST_F(EventConsumerTest, BadOptionsAreInvalidArgument) {
  EventConsumer no_group(redis_, Options("", "c1"));
  EXPECT_EQ(no_group.Poll().status().code(), absl::StatusCode::kInvalidArgument);
  EventConsumerOptions options = Options("g", "c1");
  options.block_timeout = absl::ZeroDuration();
  EventConsumer no_block(redis_, options);
  EXPECT_EQ(no_block.Poll().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EventConsumerTest, RedisDownIsUnavailable) {
  PublishN("acme", 1);
  EventConsumer consumer(redis_, Options("notification", "c1"));
  server_.Stop();
  EXPECT_EQ(consumer.Poll().status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dermaflow::common
