// Page tokens are opaque, bound to their filters, and page sizes clamp.
#include "services/protocol/page_token.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::protocol {
namespace {

using ::testing::ElementsAre;

TEST(PageTokenTest, RoundTripsWithTheSameFilters) {
  std::string token = EncodePageToken("cat=1", "01:abc");
  EXPECT_EQ(*DecodePageToken(token, "cat=1"), "01:abc");
  EXPECT_EQ(*DecodePageToken("", "cat=1"), "");
}

TEST(PageTokenTest, RefusesOtherFiltersAndGarbage) {
  std::string token = EncodePageToken("cat=1", "01:abc");
  for (const absl::Status& status :
       {DecodePageToken(token, "cat=2").status(), DecodePageToken("!!!", "cat=1").status(),
        DecodePageToken(EncodePageToken("cat=1", ""), "cat=1").status()}) {
    EXPECT_THAT(common::ViolatedFields(status), ElementsAre("page_token")) << status;
  }
}

TEST(PageTokenTest, PageSizeDefaultsAndClamps) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(10'000), 500);
  EXPECT_THAT(common::ViolatedFields(EffectivePageSize(-1).status()), ElementsAre("page_size"));
}

}  // namespace
}  // namespace dermaflow::protocol
