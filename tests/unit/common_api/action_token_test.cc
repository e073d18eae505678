#include "common/api/action_token.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "common/status/errors.h"

namespace dermaflow::common {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

ActionTokenCodec Codec(char fill = 's') {
  return ActionTokenCodec(
      [fill]() -> absl::StatusOr<std::string> { return std::string(kTokenSecretSize, fill); });
}

ActionClaims Confirm(std::string org = "clinic-chain-a") {
  return {.organization = std::move(org),
          .action = "CONFIRM",
          .subject_id = "appt-1",
          .expire_time = kNow + absl::Hours(48)};
}

void ExpectRefused(const absl::StatusOr<ActionClaims>& opened, std::string_view reason) {
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kUnauthenticated) << opened.status();
  EXPECT_EQ(ErrorInfoReason(opened.status()), reason);
}

TEST(ActionTokenTest, OpensToWhatWasMintedWithAFreshTokenId) {
  const ActionTokenCodec codec = Codec();
  const std::string first = *codec.Mint(Confirm());
  const std::string second = *codec.Mint(Confirm());
  EXPECT_NE(first, second);
  absl::StatusOr<ActionClaims> a = codec.Open(first, kNow);
  absl::StatusOr<ActionClaims> b = codec.Open(second, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->organization, "clinic-chain-a");
  EXPECT_EQ(a->action, "CONFIRM");
  EXPECT_EQ(a->subject_id, "appt-1");
  EXPECT_EQ(a->expire_time, kNow + absl::Hours(48));
  EXPECT_EQ(a->token_id.size(), 16u);
  EXPECT_NE(a->token_id, b->token_id);
  // With real ids (an appointment "ap_" + 20 hex digits) it stays short
  // enough for one link line: under 170 characters.
  const std::string real = *codec.Mint({.organization = "clinic-chain-a",
                                        .action = "REQUEST_RESCHEDULE",
                                        .subject_id = "ap_0123456789abcdef0123",
                                        .expire_time = kNow + absl::Hours(48)});
  EXPECT_LT(real.size(), 170u) << real.size();
}

TEST(ActionTokenTest, NothingInsideIsReadable) {
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(*Codec().Mint(Confirm()), &raw));
  EXPECT_EQ(raw.find("clinic-chain-a"), std::string::npos);
  EXPECT_EQ(raw.find("appt-1"), std::string::npos);
}

TEST(ActionTokenTest, ExpiresAtItsExpireTime) {
  const ActionTokenCodec codec = Codec();
  const std::string token = *codec.Mint(Confirm());
  EXPECT_TRUE(codec.Open(token, kNow + absl::Hours(48) - absl::Seconds(1)).ok());
  ExpectRefused(codec.Open(token, kNow + absl::Hours(48)), kActionTokenExpired);
}

TEST(ActionTokenTest, RefusesAlteredTruncatedForeignAndGarbageTokens) {
  const ActionTokenCodec codec = Codec();
  const std::string token = *codec.Mint(Confirm());
  std::string flipped = token;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';
  ExpectRefused(codec.Open(flipped, kNow), kActionTokenInvalid);
  ExpectRefused(codec.Open(token.substr(0, token.size() - 4), kNow), kActionTokenInvalid);
  // Minted under another deployment's secret.
  ExpectRefused(Codec('x').Open(token, kNow), kActionTokenInvalid);
  ExpectRefused(codec.Open("", kNow), kActionTokenInvalid);
  ExpectRefused(codec.Open("not a token at all!", kNow), kActionTokenInvalid);
}

TEST(ActionTokenTest, MintNamesEveryMissingClaim) {
  absl::StatusOr<std::string> token = Codec().Mint({});
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(token.status()),
            (std::vector<std::string>{"organization", "action", "subject_id", "expire_time"}));
}

TEST(ActionTokenTest, AnUnreadableSecretIsPassedOnNotTreatedAsAForgery) {
  ActionTokenCodec codec(
      []() -> absl::StatusOr<std::string> { return absl::UnavailableError("redis down"); });
  const std::string token = *Codec().Mint(Confirm());
  EXPECT_EQ(codec.Open(token, kNow).status().code(), absl::StatusCode::kUnavailable);
  // Garbage is refused without the secret.
  ExpectRefused(codec.Open("x", kNow), kActionTokenInvalid);
  EXPECT_EQ(codec.Mint(Confirm()).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dermaflow::common
