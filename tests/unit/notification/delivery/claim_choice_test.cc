// ShouldClaim: when a dispatcher pass runs the claim script on an
// organization, from its probe, as its home replica or as a helper.
#include "services/notification/delivery/claim_choice.h"

#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const ClaimChoiceOptions kOptions{
    .batch = 200, .lease = absl::Seconds(10), .help_after = absl::Seconds(5)};

DueProbe Known(int64_t due = 0) { return DueProbe{.known = true, .due = due}; }

bool Home(const DueProbe& p) { return ShouldClaim(p, /*home=*/true, kNow, kNow, kOptions); }
bool Helper(const DueProbe& p) { return ShouldClaim(p, /*home=*/false, kNow, kNow, kOptions); }

TEST(ClaimChoiceTest, HomeClaimsWhateverIsDueAndNothingElse) {
  EXPECT_TRUE(Home(Known(1)));
  EXPECT_FALSE(Home(Known(0)));
}

TEST(ClaimChoiceTest, AnUnprobedOrganizationIsClaimedByItsHomeOnly) {
  EXPECT_TRUE(Home(DueProbe{}));
  EXPECT_FALSE(Helper(DueProbe{}));
}

TEST(ClaimChoiceTest, HomeTakesOverExpiredLeasesWithHalfALeaseForClockSkew) {
  DueProbe p = Known();
  p.oldest_lease = kNow + absl::Seconds(4);  // this clock may be 4 s behind Redis's
  EXPECT_TRUE(Home(p));
  p.oldest_lease = kNow + absl::Seconds(7);  // a live worker's, renewed a moment ago
  EXPECT_FALSE(Home(p));
}

TEST(ClaimChoiceTest, AHelperHelpsWithMoreThanABatch) {
  EXPECT_FALSE(Helper(Known(200)));
  EXPECT_TRUE(Helper(Known(201)));
}

TEST(ClaimChoiceTest, AHelperTakesWorkTheHomeLeftWaitingTooLong) {
  DueProbe p = Known(3);
  p.oldest_due = kNow - absl::Seconds(4);
  EXPECT_FALSE(Helper(p));
  p.oldest_due = kNow - absl::Seconds(6);
  EXPECT_TRUE(Helper(p));
}

TEST(ClaimChoiceTest, AHelperTakesLeasesExpiredLongerThanHelpAfter) {
  DueProbe p = Known();
  p.oldest_lease = kNow - absl::Seconds(1);  // the home replica will take these
  EXPECT_FALSE(Helper(p));
  p.oldest_lease = kNow - absl::Seconds(6);
  EXPECT_TRUE(Helper(p));
}

TEST(ClaimChoiceTest, WaitingIsJudgedOnTheEnginesClockLeasesOnTheWallClock) {
  DueProbe p = Known(3);
  p.oldest_due = kNow - absl::Seconds(6);
  // Engine time is what makes a reminder due (tests move it).
  EXPECT_FALSE(ShouldClaim(p, false, kNow - absl::Seconds(2), kNow + absl::Hours(1), kOptions));
  EXPECT_TRUE(ShouldClaim(p, false, kNow, kNow - absl::Hours(1), kOptions));
}

}  // namespace
}  // namespace dermaflow::notification
