#include "services/patient/domain/access_policy.h"

#include "common/auth/roles.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

common::Caller WithRoles(std::vector<std::string> roles) {
  return {"clinic-a", "u1", std::move(roles)};
}

bool Allowed(std::vector<std::string> roles, const common::RpcRoles& access) {
  return Authorize(WithRoles(std::move(roles)), access).ok();
}

TEST(PatientAuthorizeTest, FollowsTheRolesOfTheApi) {
  EXPECT_TRUE(Allowed({"reception"}, RolesOf("CreatePatient")));
  EXPECT_TRUE(Allowed({"reception"}, RolesOf("ListPatients")));
  // Reception books, and booking screens with the forwarded token (audited).
  EXPECT_TRUE(Allowed({"reception"}, kReadMedicalProfile));
  EXPECT_FALSE(Allowed({"reception"}, kWriteMedicalProfile));
  EXPECT_TRUE(Allowed({"practitioner"}, kReadMedicalProfile));
  EXPECT_TRUE(Allowed({"practitioner"}, kWriteMedicalProfile));
  EXPECT_TRUE(Allowed({"service"}, kReadMedicalProfile));
  EXPECT_FALSE(Allowed({"service"}, RolesOf("CreatePatient")));
  EXPECT_TRUE(Allowed({"service"}, RolesOf("SetConsent")));
  EXPECT_FALSE(Allowed({"clinic_admin"}, kReadMedicalProfile));
  EXPECT_TRUE(Allowed({"clinic_admin"}, RolesOf("DeletePatient")));
  EXPECT_TRUE(Allowed({"clinic_admin"}, RolesOf("ExportPatient")));
  EXPECT_FALSE(Allowed({"practitioner"}, RolesOf("ListAuditEntries")));
  EXPECT_FALSE(Allowed({"ops"}, RolesOf("ListPatients")));
  EXPECT_FALSE(Allowed({}, RolesOf("ListPatients")));
  EXPECT_TRUE(Allowed({"ops", "reception"}, RolesOf("UpdatePatient")));
}

TEST(PatientAuthorizeTest, DeniesWithPermissionDeniedNamingRoles) {
  absl::Status status = Authorize(WithRoles({"reception"}), RolesOf("ExportPatient"));
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("clinic_admin"), absl::string_view::npos);
}

// The --auth=none caller holds every role, so checks stay on and pass.
TEST(PatientAuthorizeTest, EveryRoleAllowsAll) {
  std::vector<std::string> all(common::kAllRoles.begin(), common::kAllRoles.end());
  for (const common::RpcRoles& rpc : kRpcRoles) EXPECT_TRUE(Allowed(all, rpc)) << rpc.rpc;
  for (const common::RpcRoles* access : {&kReadMedicalProfile, &kWriteMedicalProfile}) {
    EXPECT_TRUE(Allowed(all, *access));
  }
}

}  // namespace
}  // namespace dermaflow::patient
