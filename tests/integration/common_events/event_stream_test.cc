// The stream layout and SealEvent; no server needed.
#include "common/events/event_stream.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

using dermaflow::events::v1::Event;

Event Erased(std::string org) {
  Event event;
  event.set_organization(std::move(org));
  event.mutable_patient_erased()->set_patient_id("p-1");
  return event;
}

TEST(EventStreamTest, StreamKeyAndBack) {
  EXPECT_EQ(StreamKey("acme").value(), "df:{acme}:events");
  EXPECT_EQ(OrgOfStreamKey("df:{acme}:events"), "acme");
  EXPECT_EQ(OrgOfStreamKey("df:{acme}:patients"), std::nullopt);
  EXPECT_EQ(OrgOfStreamKey("df:{}:events"), std::nullopt);
  EXPECT_EQ(OrgOfStreamKey("df:{a}b}:events"), std::nullopt);
  EXPECT_EQ(StreamKey("a}b").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OrganizationsKey(), "df:orgs");
}

TEST(EventStreamTest, NewEventIdIsAUniqueV4Uuid) {
  std::set<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    std::string id = NewEventId();
    ASSERT_THAT(id, ::testing::MatchesRegex(
                        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 2000u);
}

TEST(EventStreamTest, SealFillsIdAndOccurTimeFromTheClock) {
  FakeClock clock(absl::FromUnixNanos(1'800'000'000'123'456'789));
  Event event = Erased("acme");
  absl::StatusOr<std::string> bytes = SealEvent(event, clock);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_FALSE(event.id().empty());
  EXPECT_EQ(event.occur_time().seconds(), 1'800'000'000);
  EXPECT_EQ(event.occur_time().nanos(), 123'456'789);
  Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(*bytes));
  EXPECT_EQ(parsed.id(), event.id());
}

TEST(EventStreamTest, SealKeepsAGivenIdAndTime) {
  FakeClock clock;
  Event event = Erased("acme");
  event.set_id("given");
  event.mutable_occur_time()->set_seconds(5);
  ASSERT_TRUE(SealEvent(event, clock).ok());
  EXPECT_EQ(event.id(), "given");
  EXPECT_EQ(event.occur_time().seconds(), 5);
}

TEST(EventStreamTest, SealRejectsBadOrganizationAndMissingPayload) {
  FakeClock clock;
  Event no_org = Erased("");
  EXPECT_EQ(SealEvent(no_org, clock).status().code(), absl::StatusCode::kInvalidArgument);
  Event escaping = Erased("a}:x");
  EXPECT_EQ(SealEvent(escaping, clock).status().code(), absl::StatusCode::kInvalidArgument);
  Event empty;
  empty.set_organization("acme");
  EXPECT_EQ(SealEvent(empty, clock).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dermaflow::common
