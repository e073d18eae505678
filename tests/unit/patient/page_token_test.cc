#include "services/patient/page_token.h"

#include "absl/strings/escaping.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

using ::testing::ElementsAre;

const std::string kKey(kPageTokenKeySize, 'k');
const std::string kScope = PageScope("patients", "clinic-a");

PageCursor Cursor() { return {QueryFingerprint({"mul", "", "", ""}), "muller\x01" "anna\x01" "p1"}; }

TEST(PatientPageTokenTest, RoundTrips) {
  absl::StatusOr<std::string> token = EncodePageToken(kKey, kScope, Cursor());
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<PageCursor> decoded = DecodePageToken(kKey, kScope, *token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, Cursor());
}

TEST(PatientPageTokenTest, IsOpaque) {
  std::string token = *EncodePageToken(kKey, kScope, Cursor());
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  EXPECT_EQ(raw.find("muller"), std::string::npos);
  EXPECT_EQ(token.find("muller"), std::string::npos);
  // A fresh nonce each time: equal cursors give unequal tokens.
  EXPECT_NE(token, *EncodePageToken(kKey, kScope, Cursor()));
}

TEST(PatientPageTokenTest, IsBoundToOrganizationListAndKey) {
  const std::string token = *EncodePageToken(kKey, kScope, Cursor());
  for (const auto& [key, scope] : std::vector<std::pair<std::string, std::string>>{
           {kKey, PageScope("patients", "clinic-b")},
           {kKey, PageScope("audit", "clinic-a")},
           {std::string(kPageTokenKeySize, 'x'), kScope}}) {
    absl::StatusOr<PageCursor> decoded = DecodePageToken(key, scope, token);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(common::ViolatedFields(decoded.status()), ElementsAre("page_token"));
  }
}

TEST(PatientPageTokenTest, RefusesAlteredOrForeignTokens) {
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(*EncodePageToken(kKey, kScope, Cursor()), &raw));
  raw[raw.size() / 2] ^= 1;
  for (const std::string& token : {absl::WebSafeBase64Escape(raw), std::string("abc"), std::string("!!"),
                                   std::string("")}) {
    EXPECT_EQ(DecodePageToken(kKey, kScope, token).status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
}

TEST(PatientPageTokenTest, NeedsAProperKey) {
  EXPECT_EQ(EncodePageToken("short", kScope, Cursor()).status().code(), absl::StatusCode::kInternal);
}

TEST(PatientQueryFingerprintTest, SeparatesParts) {
  EXPECT_EQ(QueryFingerprint({"ab", "c"}), QueryFingerprint({"ab", "c"}));
  EXPECT_NE(QueryFingerprint({"ab", "c"}), QueryFingerprint({"a", "bc"}));
  EXPECT_NE(QueryFingerprint({"mul", ""}), QueryFingerprint({"", "mul"}));
}

}  // namespace
}  // namespace dermaflow::patient
