// EventPublisher on a real redis-server, and the documented pattern of
// appending an event from a store's own Lua script.
#include "common/events/event_publisher.h"

#include "common/clock/clock.h"
#include "common/events/event_consumer.h"
#include "common/redis/redis_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using dermaflow::events::v1::Event;
using ::testing::ElementsAre;

Event Erased(std::string org, std::string patient) {
  Event event;
  event.set_organization(std::move(org));
  event.set_producer("patient");
  event.mutable_patient_erased()->set_patient_id(std::move(patient));
  return event;
}

class EventPublisherTest : public ::testing::Test {
 protected:
  EventPublisherTest() : redis_(ParseRedisUrl(server_.url()).value()), publisher_(redis_, clock_) {}

  // The entries of a stream as [id, [field, value...]] pairs.
  std::vector<RedisReply> Entries(const std::string& stream) {
    return redis_.Command({"XRANGE", stream, "-", "+"})->elements();
  }

  dermaflow::testing::RedisServer server_;
  RedisClient redis_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  EventPublisher publisher_;
};

TEST_F(EventPublisherTest, AppendsToTheOrgStreamAndRegistersTheOrg) {
  absl::StatusOr<std::string> id = publisher_.Publish(Erased("acme", "p-1"));
  ASSERT_TRUE(id.ok()) << id.status();

  std::vector<RedisReply> entries = Entries("df:{acme}:events");
  ASSERT_EQ(entries.size(), 1u);
  const RedisReply& fields = entries[0].elements()[1];
  ASSERT_EQ(fields.elements().size(), 2u);
  EXPECT_EQ(fields.elements()[0].str(), kEventField);
  Event stored;
  ASSERT_TRUE(stored.ParseFromString(fields.elements()[1].str()));
  EXPECT_EQ(stored.id(), *id);
  EXPECT_EQ(stored.organization(), "acme");
  EXPECT_EQ(stored.occur_time().seconds(), 1'800'000'000);
  EXPECT_EQ(stored.patient_erased().patient_id(), "p-1");

  EXPECT_THAT(redis_.Command({"SMEMBERS", "df:orgs"})->elements(),
              ElementsAre(RedisReply::String("acme")));
}

TEST_F(EventPublisherTest, BadEventWritesNothing) {
  EXPECT_EQ(publisher_.Publish(Erased("bad org", "p-1")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(redis_.Command({"DBSIZE"})->integer(), 0);
}

TEST_F(EventPublisherTest, StreamIsTrimmedApproximately) {
  EventPublisher small(redis_, clock_, {.max_len = 10});
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(small.Publish(Erased("acme", "p")).ok());
  int64_t length = redis_.Command({"XLEN", "df:{acme}:events"})->integer();
  // "~" trims whole stream nodes (100 entries each by default), never below 10.
  EXPECT_GE(length, 10);
  EXPECT_LE(length, 10 + 100);
}

TEST_F(EventPublisherTest, RedisDownIsUnavailable) {
  server_.Stop();
  EXPECT_EQ(publisher_.Publish(Erased("acme", "p-1")).status().code(),
            absl::StatusCode::kUnavailable);
}

// The header's pattern: the state change and its event in one script.
TEST_F(EventPublisherTest, LuaScriptAppendsEventAtomicallyWithTheChange) {
  const LuaScript script("cancel", R"lua(
    redis.call('SET', KEYS[1], ARGV[1])
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'e', ARGV[2])
    return 1)lua");
  Event event = Erased("acme", "p-9");
  absl::StatusOr<std::string> bytes = SealEvent(event, clock_);
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(publisher_.RegisterOrganization("acme").ok());
  ASSERT_TRUE(redis_
                  .Eval(script, {"df:{acme}:appointment:a1", StreamKey("acme").value()},
                        {"CANCELLED", *bytes, std::to_string(publisher_.options().max_len)})
                  .ok());

  EventConsumer consumer(
      redis_, {.group = "notification", .consumer = "c1", .block_timeout = absl::Milliseconds(50)});
  absl::StatusOr<std::vector<ConsumedEvent>> batch = consumer.Poll();
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0].event.id(), event.id());
  EXPECT_EQ((*batch)[0].event.patient_erased().patient_id(), "p-9");
}

}  // namespace
}  // namespace dermaflow::common
