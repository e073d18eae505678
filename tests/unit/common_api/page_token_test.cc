#include "common/api/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "common/status/errors.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;
namespace v1 = ::dermaflow::scheduling::v1;

PageTokenCodec Codec(char fill = 's') {
  return PageTokenCodec(
      [fill]() -> absl::StatusOr<std::string> { return std::string(kPageTokenSecretSize, fill); });
}

v1::ListRoomsRequest Rooms(std::string clinic, std::string token = "") {
  v1::ListRoomsRequest request;
  request.set_clinic_id(std::move(clinic));
  request.set_page_token(std::move(token));
  return request;
}

void ExpectBadToken(const absl::StatusOr<PagePosition>& decoded) {
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << decoded.status();
  EXPECT_THAT(ViolatedFields(decoded.status()), ElementsAre("page_token"));
}

TEST(PageTokenCodecTest, RoundTripsThePositionWhateverThePageSize) {
  const PageTokenCodec codec = Codec();
  v1::ListRoomsRequest request = Rooms("c-1");
  request.set_page_size(10);
  absl::StatusOr<std::string> token =
      codec.Encode("org-a", request, {"M\xc3\xbcller:x", "", "r:1"});
  ASSERT_TRUE(token.ok()) << token.status();
  v1::ListRoomsRequest next = Rooms("c-1", *token);
  next.set_page_size(99);
  absl::StatusOr<PagePosition> position = codec.Decode("org-a", next);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_THAT(*position, ElementsAre("M\xc3\xbcller:x", "", "r:1"));
}

TEST(PageTokenCodecTest, FirstPageNeedsNoSecret) {
  PageTokenCodec codec(
      []() -> absl::StatusOr<std::string> { return absl::UnavailableError("redis down"); });
  absl::StatusOr<PagePosition> position = codec.Decode("org-a", Rooms("c-1"));
  ASSERT_TRUE(position.ok());
  EXPECT_TRUE(position->empty());
  EXPECT_EQ(codec.Encode("org-a", Rooms("c-1"), {"x"}).status().code(),
            absl::StatusCode::kUnavailable);
  // A malformed token is the client's error even while the secret is unreadable.
  ExpectBadToken(codec.Decode("org-a", Rooms("c-1", "not-a-token")));
}

TEST(PageTokenCodecTest, IsOpaqueAndFreshEachTime) {
  const PageTokenCodec codec = Codec();
  const std::string token = *codec.Encode("org-a", Rooms("c-1"), {"Mueller"});
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_EQ(raw.find("Mueller"), std::string::npos);
  EXPECT_NE(token, *codec.Encode("org-a", Rooms("c-1"), {"Mueller"}));
}

TEST(PageTokenCodecTest, RefusesOtherFiltersOrganizationsListsAndSecrets) {
  const std::string token = *Codec().Encode("org-a", Rooms("c-1"), {"r-7"});
  ExpectBadToken(Codec().Decode("org-a", Rooms("c-2", token)));     // other filters
  ExpectBadToken(Codec().Decode("org-b", Rooms("c-1", token)));     // another tenant
  ExpectBadToken(Codec('x').Decode("org-a", Rooms("c-1", token)));  // another secret
  v1::ListPractitionersRequest practitioners;                       // another list
  practitioners.set_clinic_id("c-1");
  practitioners.set_page_token(token);
  ExpectBadToken(Codec().Decode("org-a", practitioners));
  EXPECT_TRUE(Codec().Decode("org-a", Rooms("c-1", token)).ok());
}

TEST(PageTokenCodecTest, RefusesAlteredAndForgedTokens) {
  const PageTokenCodec codec = Codec();
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(*codec.Encode("org-a", Rooms("c-1"), {"r-7"}), &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string altered = raw;
    altered[i] ^= 0x01;
    ExpectBadToken(codec.Decode("org-a", Rooms("c-1", absl::WebSafeBase64Escape(altered))));
  }
  for (const std::string& forged :
       std::vector<std::string>{"!!!", "c-1\nr-7", absl::WebSafeBase64Escape("c-1\nr-7"), "AQ"}) {
    ExpectBadToken(codec.Decode("org-a", Rooms("c-1", forged)));
  }
}

TEST(PageTokenCodecTest, NeedsASecretOfTheRightSize) {
  PageTokenCodec codec([]() -> absl::StatusOr<std::string> { return std::string("short"); });
  EXPECT_EQ(codec.Encode("org-a", Rooms("c-1"), {"x"}).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace dermaflow::common
