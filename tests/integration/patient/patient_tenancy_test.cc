// Two organizations with JWT callers on one server and one Redis: a patient
// of clinic-a does not exist for clinic-b, in every RPC, and nothing clinic-b
// does touches clinic-a's data.
#include "absl/strings/match.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "services/patient/domain/patient_errors.h"
#include "tests/integration/patient/patient_test_fixture.h"

namespace dermaflow::patient::testing {
namespace {

class PatientTenancyTest : public PatientServiceTest {};

TEST_F(PatientTenancyTest, APatientOfOneOrganizationIsNotFoundForAnotherInEveryRpc) {
  const v1::Patient patient = *Create(kStaffA, ValidPatient(), "req-shared");
  const std::string a_before = TenantDump("clinic-a");
  const auto expect_not_found = [&](const absl::Status& status, const char* rpc) {
    EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << rpc << ": " << status;
    EXPECT_EQ(common::ErrorInfoReason(status), "NOT_FOUND") << rpc;
  };

  expect_not_found(Get(kStaffB, patient.id()).status(), "GetPatient BASIC");
  expect_not_found(Get(kStaffB, patient.id(), v1::PATIENT_VIEW_FULL).status(), "GetPatient FULL");
  v1::Patient patch = patient;
  patch.set_given_name("Hijacked");
  expect_not_found(Update(kStaffB, patch, {"given_name"}).status(), "UpdatePatient");
  expect_not_found(Delete(kStaffB, patient.id(), patient.etag()), "DeletePatient");
  expect_not_found(Export(kStaffB, patient.id()).status(), "ExportPatient");
  v1::SetConsentRequest consent;
  consent.set_patient_id(patient.id());
  consent.set_channel(v1::CHANNEL_SMS);
  consent.set_state(v1::CONSENT_STATE_WITHDRAWN);
  expect_not_found(SetConsent(kStaffB, consent).status(), "SetConsent");
  v1::ListAuditEntriesRequest audit;
  audit.set_patient_id(patient.id());
  expect_not_found(ListAudit(kStaffB, audit).status(), "ListAuditEntries");

  // ListPatients of clinic-b finds nothing, with or without filters.
  EXPECT_EQ(List(kStaffB, {})->patients_size(), 0);
  v1::ListPatientsRequest by_phone;
  by_phone.set_phone(patient.contact().phone());
  EXPECT_EQ(List(kStaffB, by_phone)->patients_size(), 0);

  // request_ids are per organization: the same one makes clinic-b's own patient.
  absl::StatusOr<v1::Patient> b_patient = Create(kStaffB, ValidPatient(), "req-shared");
  ASSERT_TRUE(b_patient.ok()) << b_patient.status();
  EXPECT_NE(b_patient->id(), patient.id());
  EXPECT_EQ(List(kStaffB, {})->patients_size(), 1);
  EXPECT_EQ(List(kStaffA, {})->patients_size(), 1);

  // clinic-a's data is exactly as before, and clinic-b's keys are its own
  // (besides df:orgs, the registry of organizations with event streams,
  // which a service registers before it may publish).
  EXPECT_EQ(TenantDump("clinic-a"), a_before);
  EXPECT_TRUE(Get(kStaffA, patient.id()).ok());
  EXPECT_TRUE(Events("clinic-a").empty());
  const common::RedisReply keys = Redis({"KEYS", "*"});
  for (const auto& key : keys.elements()) {
    EXPECT_TRUE(absl::StartsWith(key.str(), "df:{clinic-a}:") ||
                absl::StartsWith(key.str(), "df:{clinic-b}:") || key.str() == "df:orgs")
        << key.str();
  }
}

}  // namespace
}  // namespace dermaflow::patient::testing
