#include "services/notification/page_token.h"

#include "gtest/gtest.h"
#include "common/status/errors.h"
#include "dermaflow/notification/v1/notification_service.pb.h"

namespace dermaflow::notification {
namespace {

TEST(NotificationPageTokenTest, RoundTripsWithTheSameFilters) {
  v1::ListRemindersRequest request;
  request.set_patient_id("p-1");
  request.set_page_size(10);
  const std::string token = EncodePageToken(ListCursor{1234, "abc:def"}, request);
  request.set_page_token(token);
  request.set_page_size(20);  // page size may change between pages
  absl::StatusOr<std::optional<ListCursor>> cursor = DecodePageToken(request);
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  ASSERT_TRUE(cursor->has_value());
  EXPECT_EQ((*cursor)->time_ms, 1234);
  EXPECT_EQ((*cursor)->id, "abc:def");
}

TEST(NotificationPageTokenTest, RejectsOtherFiltersAndGarbage) {
  v1::ListRemindersRequest request;
  request.set_patient_id("p-1");
  const std::string token = EncodePageToken(ListCursor{1, "x"}, request);
  request.set_patient_id("p-2");
  request.set_page_token(token);
  EXPECT_EQ(common::ViolatedFields(DecodePageToken(request).status()), std::vector<std::string>{"page_token"});
  request.set_page_token("not a token");
  EXPECT_EQ(DecodePageToken(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.clear_page_token();
  EXPECT_FALSE(DecodePageToken(request)->has_value());
}

TEST(NotificationPageTokenTest, PageSizes) {
  EXPECT_EQ(*PageSize(0), 50);
  EXPECT_EQ(*PageSize(7), 7);
  EXPECT_EQ(*PageSize(10'000), 500);
  EXPECT_EQ(PageSize(-1).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dermaflow::notification
