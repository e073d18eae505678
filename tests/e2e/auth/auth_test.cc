// JWT auth across the four processes: no or forged tokens are rejected by
// every service, tenants never see each other's data, roles are enforced,
// and service-to-service calls (screening reads the medical profile) work
// for a reception user through token forwarding.
#include "common/auth/jwt_minter.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

class AuthTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }
  // A call with exactly this authorization value ("" = none).
  template <typename Fn>
  grpc::Status CallWith(const std::string& token, Fn fn) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    return fn(&ctx);
  }

  Suite suite_;
  Stubs api_{suite_};
};

TEST_F(AuthTest, EveryServiceRejectsMissingAndForgedTokens) {
  // Signed with another key: same claims, wrong signature.
  const std::string forged = *common::MintJwt({.organization = Suite::kOrganization,
                                               .subject = "mallory",
                                               .roles = Suite::AllStaffRoles(),
                                               .expires_at = absl::Now() + absl::Hours(1)},
                                              common::JwtAlgorithm::kHs256,
                                              "0123456789abcdef0123456789abcdef-not-the-key");
  for (const std::string& token : {std::string(), forged}) {
    pv1::ListPatientsRequest patients;
    pv1::ListPatientsResponse patients_out;
    EXPECT_EQ(
        CallWith(token,
                 [&](auto* c) { return api_.patients->ListPatients(c, patients, &patients_out); })
            .error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
    prv1::ListProtocolsRequest protocols;
    prv1::ListProtocolsResponse protocols_out;
    EXPECT_EQ(CallWith(token,
                       [&](auto* c) {
                         return api_.protocols->ListProtocols(c, protocols, &protocols_out);
                       })
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    sv1::ListClinicsRequest clinics;
    sv1::ListClinicsResponse clinics_out;
    EXPECT_EQ(
        CallWith(token,
                 [&](auto* c) { return api_.scheduling->ListClinics(c, clinics, &clinics_out); })
            .error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
    nv1::GetQueueStatsRequest stats;
    nv1::QueueStats stats_out;
    EXPECT_EQ(
        CallWith(token,
                 [&](auto* c) { return api_.notifications->GetQueueStats(c, stats, &stats_out); })
            .error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(AuthTest, TenantsAreIsolatedAndRolesEnforced) {
  Organization org;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org));
  pv1::CreatePatientRequest create;
  create.set_request_id("auth-patient");
  *create.mutable_patient() = NewPatient("Greta", "Hinterhuber", "de", "greta@example.org", "");
  pv1::Patient patient;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, create, &patient); }));

  // Another organization: the id behaves like an unknown one, lists are empty.
  const std::string other_org = suite_.MintToken(Suite::AllStaffRoles(), "another-chain");
  pv1::GetPatientRequest get;
  get.set_id(patient.id());
  pv1::Patient seen;
  EXPECT_EQ(CallWith(other_org, [&](auto* c) { return api_.patients->GetPatient(c, get, &seen); })
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  pv1::ListPatientsRequest list;
  pv1::ListPatientsResponse listed;
  ASSERT_RPC_OK(
      CallWith(other_org, [&](auto* c) { return api_.patients->ListPatients(c, list, &listed); }));
  EXPECT_EQ(listed.patients_size(), 0);
  sv1::GetClinicRequest clinic;
  clinic.set_id(org.berlin_clinic);
  sv1::Clinic clinic_out;
  EXPECT_EQ(CallWith(other_org,
                     [&](auto* c) { return api_.scheduling->GetClinic(c, clinic, &clinic_out); })
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Reception may read the medical profile (audited) and screen: booking
  // screens with reception's forwarded token, and the findings reveal the
  // profile anyway. Writing the profile stays with practitioners.
  const std::string reception = suite_.MintToken({"reception"});
  get.set_view(pv1::PATIENT_VIEW_FULL);
  ASSERT_RPC_OK(
      CallWith(reception, [&](auto* c) { return api_.patients->GetPatient(c, get, &seen); }));
  EXPECT_TRUE(seen.has_medical_profile());
  prv1::ScreenEligibilityRequest screen;
  screen.set_patient_id(patient.id());
  screen.set_protocol_id(org.hydralift);
  prv1::ScreenEligibilityResponse screening;
  ASSERT_RPC_OK(CallWith(reception, [&](auto* c) {
    return api_.protocols->ScreenEligibility(c, screen, &screening);
  }));
  EXPECT_TRUE(screening.eligible()) << screening.DebugString();

  // Erasure is for clinic_admin only.
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.patients->GetPatient(c, get, &seen); }));
  pv1::DeletePatientRequest erase;
  erase.set_id(patient.id());
  erase.set_etag(seen.etag());
  erase.set_reason("test");
  google::protobuf::Empty empty;
  EXPECT_EQ(
      CallWith(reception, [&](auto* c) { return api_.patients->DeletePatient(c, erase, &empty); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace dermaflow::e2e
