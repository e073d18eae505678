// ScreenEligibility end to end: the real dermaflow-patient and
// dermaflow-protocol binaries on one redis-server, JWT auth on both, the
// caller's token forwarded from protocol to patient.
#include <signal.h>

#include <memory>
#include <string>

#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/protocol/protocol_test_env.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::protocol {
namespace {

using dermaflow::testing::RedisServer;
using dermaflow::testing::ServiceProcess;
using grpc::health::v1::HealthCheckResponse;
using patient::v1::MedicalProfile;
using testing::Context;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ResourceType;
using ::testing::SizeIs;

class ScreenEligibilityTest : public ::testing::Test {
 protected:
  ScreenEligibilityTest()
      : patient_service_("patient", redis_.url(),
                         // A short drain: one test stops the patient service.
                         Concat(AuthArgs(), {"--drain_timeout=1s"})),
        protocol_service_("protocol", redis_.url(),
                          Concat(AuthArgs(), {"--patient_addr=" + patient_service_.address()})),
        patients_(patient::v1::PatientService::NewStub(patient_service_.channel())),
        protocols_(v1::ProtocolService::NewStub(protocol_service_.channel())) {}

  void SetUp() override {
    ASSERT_TRUE(
        patient_service_.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
        << patient_service_.process().ReadLog();
    ASSERT_TRUE(
        protocol_service_.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
        << protocol_service_.process().ReadLog();
  }

  std::vector<std::string> AuthArgs() const {
    return {"--auth=jwt", "--jwt_hs256_key_file=" + keys_.key_file()};
  }
  static std::vector<std::string> Concat(std::vector<std::string> a,
                                         const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  std::string Practitioner(const std::string& org = "clinic-a") const {
    return keys_.Token(org, {"practitioner"}, "dr-1");
  }

  // A patient of `org` who answered every question "no", then `edit`.
  std::string CreatePatient(void (*edit)(MedicalProfile*), const std::string& org = "clinic-a") {
    patient::v1::CreatePatientRequest req;
    req.set_request_id("req-" + std::to_string(++patients_created_));
    auto* p = req.mutable_patient();
    p->set_given_name("Anna");
    p->set_family_name("Muster");
    p->mutable_birth_date()->set_year(1988);
    p->mutable_birth_date()->set_month(4);
    p->mutable_birth_date()->set_day(2);
    p->set_locale("de");
    p->set_time_zone("Europe/Berlin");
    auto* m = p->mutable_medical_profile();
    m->set_pregnant(false);
    m->set_breastfeeding(false);
    m->set_diabetes(false);
    m->set_cancer_treatment(false);
    m->set_epilepsy(false);
    m->set_anticoagulants(false);
    m->set_has_allergies(false);
    edit(m);
    patient::v1::Patient created;
    grpc::Status s = patients_->CreatePatient(Context(Practitioner(org)).get(), req, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created.id();
  }

  std::string ProtocolId(const std::string& key, const std::string& org = "clinic-a") {
    v1::ListProtocolsResponse resp;
    grpc::Status s = protocols_->ListProtocols(Context(Practitioner(org)).get(), {}, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const auto& p : resp.protocols()) {
      if (p.source().catalog_key() == key) return p.id();
    }
    ADD_FAILURE() << "no " << key;
    return "";
  }

  grpc::Status Screen(const std::string& patient_id, const std::string& catalog_key,
                      v1::ScreenEligibilityResponse* resp, const std::string& locale = "",
                      const std::string& org = "clinic-a") {
    v1::ScreenEligibilityRequest req;
    req.set_patient_id(patient_id);
    req.set_protocol_id(ProtocolId(catalog_key, org));
    req.set_locale(locale);
    return protocols_->ScreenEligibility(Context(Practitioner(org)).get(), req, resp);
  }

  testing::TestKeys keys_;
  RedisServer redis_;
  ServiceProcess patient_service_;
  ServiceProcess protocol_service_;
  std::unique_ptr<patient::v1::PatientService::Stub> patients_;
  std::unique_ptr<v1::ProtocolService::Stub> protocols_;
  int patients_created_ = 0;
};

TEST_F(ScreenEligibilityTest, HealthyPatientIsEligible) {
  const std::string id = CreatePatient([](MedicalProfile*) {});
  v1::ScreenEligibilityResponse resp;
  grpc::Status s = Screen(id, "collagen_injection", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message() << protocol_service_.process().ReadLog();
  EXPECT_TRUE(resp.eligible());
  EXPECT_THAT(resp.blocking_reasons(), IsEmpty());
  EXPECT_THAT(resp.warnings(), IsEmpty());
  EXPECT_FALSE(resp.requires_override());
  EXPECT_EQ(resp.protocol_version(), 1);
  EXPECT_EQ(resp.locale(), "de");  // the patient's
  EXPECT_TRUE(resp.has_medical_profile_update_time());
  EXPECT_GT(resp.screen_time().seconds(), 0);
}

TEST_F(ScreenEligibilityTest, PregnantPatientIsBlockedForCollagenInjection) {
  const std::string id = CreatePatient([](MedicalProfile* m) { m->set_pregnant(true); });
  v1::ScreenEligibilityResponse resp;
  ASSERT_TRUE(Screen(id, "collagen_injection", &resp, "en").ok());
  EXPECT_FALSE(resp.eligible());
  ASSERT_THAT(resp.blocking_reasons(), SizeIs(1));
  EXPECT_EQ(resp.blocking_reasons(0).code(), v1::CONTRAINDICATION_CODE_PREGNANCY);
  EXPECT_EQ(resp.blocking_reasons(0).field(), "medical_profile.pregnant");
  EXPECT_EQ(resp.blocking_reasons(0).message(),
            "Pregnancy: Collagen injection is not given during pregnancy.");
  EXPECT_EQ(resp.locale(), "en");
}

TEST_F(ScreenEligibilityTest, EpilepticAndDmaeAllergicPatientsAreBlockedForHydralift) {
  const std::string epileptic = CreatePatient([](MedicalProfile* m) { m->set_epilepsy(true); });
  const std::string allergic = CreatePatient([](MedicalProfile* m) {
    m->set_has_allergies(true);
    m->add_allergies()->set_substance(patient::v1::ALLERGY_SUBSTANCE_DMAE);
  });
  v1::ScreenEligibilityResponse epilepsy, allergy;
  ASSERT_TRUE(Screen(epileptic, "mesotherapy_hydralift", &epilepsy).ok());
  EXPECT_FALSE(epilepsy.eligible());
  EXPECT_EQ(epilepsy.blocking_reasons(0).code(), v1::CONTRAINDICATION_CODE_EPILEPSY);
  EXPECT_THAT(epilepsy.blocking_reasons(0).message(), HasSubstr("Epilepsie"));

  ASSERT_TRUE(Screen(allergic, "mesotherapy_hydralift", &allergy).ok());
  EXPECT_FALSE(allergy.eligible());
  ASSERT_THAT(allergy.blocking_reasons(), SizeIs(1));
  EXPECT_EQ(allergy.blocking_reasons(0).code(), v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT);
  EXPECT_EQ(allergy.blocking_reasons(0).substance(), patient::v1::ALLERGY_SUBSTANCE_DMAE);
  EXPECT_EQ(allergy.blocking_reasons(0).field(), "medical_profile.allergies[0]");
}

TEST_F(ScreenEligibilityTest, AnticoagulantsNeedAnOverride) {
  const std::string id = CreatePatient([](MedicalProfile* m) { m->set_anticoagulants(true); });
  v1::ScreenEligibilityResponse resp;
  ASSERT_TRUE(Screen(id, "thread_lift", &resp).ok());
  EXPECT_TRUE(resp.eligible());
  EXPECT_TRUE(resp.requires_override());
  ASSERT_THAT(resp.warnings(), SizeIs(1));
  EXPECT_EQ(resp.warnings(0).code(), v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);
  EXPECT_EQ(resp.warnings(0).severity(), v1::CONTRAINDICATION_SEVERITY_RELATIVE);
}

TEST_F(ScreenEligibilityTest, UnknownOrForeignPatientIsNotFound) {
  v1::ScreenEligibilityResponse resp;
  grpc::Status unknown = Screen("no-such-patient", "mesobotox", &resp);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND)
      << unknown.error_message() << patient_service_.process().ReadLog();
  EXPECT_EQ(ResourceType(unknown), "dermaflow.patient.v1.Patient");

  // A patient of clinic A does not exist for clinic B (forwarded token).
  const std::string of_a = CreatePatient([](MedicalProfile*) {});
  grpc::Status foreign = Screen(of_a, "mesobotox", &resp, "", "clinic-b");
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::NOT_FOUND) << foreign.error_message();
  EXPECT_EQ(ResourceType(foreign), "dermaflow.patient.v1.Patient");
}

TEST_F(ScreenEligibilityTest, PatientServiceDownIsUnavailableNeverEligible) {
  const std::string id = CreatePatient([](MedicalProfile*) {});
  const std::string protocol_id = ProtocolId("mesobotox");
  patient_service_.process().Signal(SIGTERM);
  ASSERT_EQ(patient_service_.process().Wait(std::chrono::seconds(15)), 0);

  v1::ScreenEligibilityRequest req;
  req.set_patient_id(id);
  req.set_protocol_id(protocol_id);
  v1::ScreenEligibilityResponse resp;
  grpc::Status s = protocols_->ScreenEligibility(Context(Practitioner()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_FALSE(resp.eligible());
}

}  // namespace
}  // namespace dermaflow::protocol
