#include "services/patient/domain/access_policy.h"

#include "common/auth/roles.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

common::Caller WithRoles(std::vector<std::string> roles) {
  return {"clinic-a", "u1", std::move(roles)};
}

bool Allowed(std::vector<std::string> roles, Access access) {
  return Authorize(WithRoles(std::move(roles)), access).ok();
}

TEST(PatientAuthorizeTest, FollowsTheRolesOfTheApi) {
  EXPECT_TRUE(Allowed({"reception"}, Access::kCreate));
  EXPECT_TRUE(Allowed({"reception"}, Access::kRead));
  // Reception books, and booking screens with the forwarded token (audited).
  EXPECT_TRUE(Allowed({"reception"}, Access::kReadMedicalProfile));
  EXPECT_FALSE(Allowed({"reception"}, Access::kWriteMedicalProfile));
  EXPECT_TRUE(Allowed({"practitioner"}, Access::kReadMedicalProfile));
  EXPECT_TRUE(Allowed({"practitioner"}, Access::kWriteMedicalProfile));
  EXPECT_TRUE(Allowed({"service"}, Access::kReadMedicalProfile));
  EXPECT_FALSE(Allowed({"service"}, Access::kCreate));
  EXPECT_TRUE(Allowed({"service"}, Access::kSetConsent));
  EXPECT_FALSE(Allowed({"clinic_admin"}, Access::kReadMedicalProfile));
  EXPECT_TRUE(Allowed({"clinic_admin"}, Access::kAdminister));
  EXPECT_FALSE(Allowed({"practitioner"}, Access::kAdminister));
  EXPECT_FALSE(Allowed({"ops"}, Access::kRead));
  EXPECT_FALSE(Allowed({}, Access::kRead));
  EXPECT_TRUE(Allowed({"ops", "reception"}, Access::kUpdate));
}

TEST(PatientAuthorizeTest, DeniesWithPermissionDeniedNamingRoles) {
  absl::Status status = Authorize(WithRoles({"reception"}), Access::kAdminister);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("clinic_admin"), absl::string_view::npos);
}

// The --auth=none caller holds every role, so checks stay on and pass.
TEST(PatientAuthorizeTest, EveryRoleAllowsAll) {
  std::vector<std::string> all(common::kAllRoles.begin(), common::kAllRoles.end());
  for (Access access :
       {Access::kCreate, Access::kRead, Access::kReadMedicalProfile, Access::kUpdate,
        Access::kWriteMedicalProfile, Access::kSetConsent, Access::kAdminister}) {
    EXPECT_TRUE(Allowed(all, access));
  }
}

}  // namespace
}  // namespace dermaflow::patient
