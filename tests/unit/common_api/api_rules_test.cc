// page_size, request_id and UTF-8 lengths: the small rules of common/api.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/api/page_size.h"
#include "common/api/request_id.h"
#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;

TEST(PageSizeTest, DefaultsClampsAndRefusesNegative) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(10'000), 500);
  EXPECT_EQ(*EffectivePageSize(0, {.default_size = 20, .max_size = 100}), 20);
  EXPECT_EQ(*EffectivePageSize(101, {.default_size = 20, .max_size = 100}), 100);
  EXPECT_THAT(ViolatedFields(EffectivePageSize(-1).status()), ElementsAre("page_size"));
}

TEST(RequestIdTest, RequiredShortAndUrlSafe) {
  EXPECT_EQ(RequestIdProblem("7f1c2d4e-0b9a-4c55-9a51-2f0e4e1b7c3a"), std::nullopt);
  EXPECT_EQ(RequestIdProblem("create-1.retry_2~x"), std::nullopt);
  EXPECT_NE(RequestIdProblem(""), std::nullopt);
  EXPECT_NE(RequestIdProblem(std::string(65, 'a')), std::nullopt);
  EXPECT_EQ(RequestIdProblem(std::string(64, 'a')), std::nullopt);
  EXPECT_NE(RequestIdProblem("has space"), std::nullopt);
  EXPECT_NE(RequestIdProblem("caf\xc3\xa9"), std::nullopt);
  FieldViolations v;
  ValidateRequestId("", v);
  EXPECT_THAT(ViolatedFields(v.ToStatus()), ElementsAre("request_id"));
  EXPECT_THAT(ViolatedFields(RequestIdReusedError()), ElementsAre("request_id"));
}

TEST(RequestIdTest, FingerprintIgnoresRequestIdAndPaging) {
  scheduling::v1::CreateRoomRequest a;
  a.mutable_room()->set_display_name("Room 1");
  a.set_request_id("one");
  scheduling::v1::CreateRoomRequest b = a;
  b.set_request_id("two");
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
  EXPECT_EQ(RequestFingerprint(a).size(), 40u);
  b.mutable_room()->set_display_name("Room 2");
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
}

TEST(Utf8LengthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("M\xc3\xbcller"), 6u);
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80"), 1u);  // one emoji, four bytes
  EXPECT_TRUE(Utf8LengthBetween("M\xc3\xbcller", 6, 6));
  EXPECT_FALSE(Utf8LengthBetween("", 1, 100));
}

}  // namespace
}  // namespace dermaflow::common
