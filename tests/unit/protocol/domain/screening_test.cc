// Every contraindication rule of DOMAIN.md against the built-in catalog, plus
// the screening rules of protocol.proto (unanswered facts, relative
// contraindications, unlisted allergies, locales, order).
#include "services/protocol/domain/screening.h"

#include <string>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/localized_text.h"

namespace dermaflow::protocol {
namespace {

using patient::v1::Patient;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::CivilDay kToday(2026, 5, 4);

// Someone who answered every question with "no".
Patient HealthyPatient(std::string locale = "de") {
  Patient p;
  p.set_id("p1");
  p.set_locale(locale);
  p.mutable_birth_date()->set_year(1990);
  p.mutable_birth_date()->set_month(3);
  p.mutable_birth_date()->set_day(15);
  auto* m = p.mutable_medical_profile();
  m->set_pregnant(false);
  m->set_breastfeeding(false);
  m->set_diabetes(false);
  m->set_cancer_treatment(false);
  m->set_epilepsy(false);
  m->set_anticoagulants(false);
  m->set_has_allergies(false);
  m->mutable_update_time()->set_seconds(1'700'000'000);
  return p;
}

Patient AllergicTo(patient::v1::AllergySubstance substance) {
  Patient p = HealthyPatient();
  p.mutable_medical_profile()->set_has_allergies(true);
  p.mutable_medical_profile()->add_allergies()->set_substance(substance);
  return p;
}

v1::Protocol Catalog(std::string_view key) {
  v1::Protocol p = FindCatalogEntry(key)->protocol;
  p.set_version(1);
  return p;
}

std::vector<int> Codes(const google::protobuf::RepeatedPtrField<v1::ScreeningFinding>& f) {
  std::vector<int> codes;
  for (const auto& x : f) codes.push_back(x.code());
  return codes;
}

TEST(ScreeningTest, HealthyPatientIsEligibleForEveryCatalogProtocolWithoutOverride) {
  for (const auto& e : BuiltInCatalog()) {
    auto r = Screen(Catalog(e.key), HealthyPatient(), "", kToday);
    EXPECT_TRUE(r.eligible()) << e.key;
    EXPECT_THAT(r.blocking_reasons(), IsEmpty()) << e.key;
    EXPECT_THAT(r.warnings(), IsEmpty()) << e.key;
    EXPECT_FALSE(r.requires_override()) << e.key;
    EXPECT_EQ(r.protocol_version(), 1);
  }
}

struct CollagenCase {
  const char* name;
  void (*make)(patient::v1::MedicalProfile*);
  v1::ContraindicationCode code;
  const char* field;
  const char* german_word;
};

class CollagenContraindicationTest : public ::testing::TestWithParam<CollagenCase> {};

// Seed 000: no collagen injection during pregnancy, breastfeeding, with
// diabetes or in cancer treatment.
TEST_P(CollagenContraindicationTest, BlocksCollagenInjection) {
  const CollagenCase& c = GetParam();
  Patient patient = HealthyPatient();
  c.make(patient.mutable_medical_profile());

  auto r = Screen(Catalog("collagen_injection"), patient, "", kToday);

  EXPECT_FALSE(r.eligible());
  EXPECT_FALSE(r.requires_override());
  ASSERT_THAT(r.blocking_reasons(), SizeIs(1));
  const auto& f = r.blocking_reasons(0);
  EXPECT_EQ(f.code(), c.code);
  EXPECT_EQ(f.severity(), v1::CONTRAINDICATION_SEVERITY_ABSOLUTE);
  EXPECT_EQ(f.field(), c.field);
  EXPECT_FALSE(f.unanswered());
  EXPECT_THAT(f.message(), HasSubstr(c.german_word));
  EXPECT_THAT(f.message(), HasSubstr("Kollageninjektion"));
  EXPECT_EQ(r.locale(), "de");
  // The same patient may have other treatments (e.g. micro-needling).
  EXPECT_TRUE(Screen(Catalog("collagen_induction"), patient, "", kToday).eligible());
}

INSTANTIATE_TEST_SUITE_P(
    Seed000, CollagenContraindicationTest,
    ::testing::Values(CollagenCase{"Pregnant", [](auto* m) { m->set_pregnant(true); },
                                   v1::CONTRAINDICATION_CODE_PREGNANCY, "medical_profile.pregnant",
                                   "Schwangerschaft"},
                      CollagenCase{"Breastfeeding", [](auto* m) { m->set_breastfeeding(true); },
                                   v1::CONTRAINDICATION_CODE_BREASTFEEDING,
                                   "medical_profile.breastfeeding", "Stillzeit"},
                      CollagenCase{"Diabetic", [](auto* m) { m->set_diabetes(true); },
                                   v1::CONTRAINDICATION_CODE_DIABETES, "medical_profile.diabetes",
                                   "Diabetes"},
                      CollagenCase{"InCancerTreatment",
                                   [](auto* m) { m->set_cancer_treatment(true); },
                                   v1::CONTRAINDICATION_CODE_CANCER_TREATMENT,
                                   "medical_profile.cancer_treatment", "Krebsbehandlung"}),
    [](const auto& info) { return std::string(info.param.name); });

class MesotherapyTest : public ::testing::TestWithParam<std::string> {};

// Seed 003: epileptics must not be treated with mesotherapy.
TEST_P(MesotherapyTest, EpilepticPatientIsBlocked) {
  Patient patient = HealthyPatient("en");
  patient.mutable_medical_profile()->set_epilepsy(true);
  auto r = Screen(Catalog(GetParam()), patient, "", kToday);
  EXPECT_FALSE(r.eligible());
  ASSERT_THAT(r.blocking_reasons(), SizeIs(1));
  EXPECT_EQ(r.blocking_reasons(0).code(), v1::CONTRAINDICATION_CODE_EPILEPSY);
  EXPECT_EQ(r.blocking_reasons(0).field(), "medical_profile.epilepsy");
  EXPECT_EQ(r.blocking_reasons(0).message(),
            "Epilepsy: Mesotherapy must not be given to patients with epilepsy.");
  EXPECT_EQ(r.locale(), "en");
}

// Seed 003: allergy sufferers (to an ingredient of the mix) must not be
// treated.
TEST_P(MesotherapyTest, PatientAllergicToAnIngredientIsBlocked) {
  const v1::Protocol protocol = Catalog(GetParam());
  for (const auto& ingredient : protocol.ingredients()) {
    auto r = Screen(protocol, AllergicTo(ingredient.substance()), "en", kToday);
    EXPECT_FALSE(r.eligible()) << GetParam();
    ASSERT_THAT(r.blocking_reasons(), SizeIs(1));
    const auto& f = r.blocking_reasons(0);
    EXPECT_EQ(f.code(), v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT);
    EXPECT_EQ(f.substance(), ingredient.substance());
    EXPECT_EQ(f.field(), "medical_profile.allergies[0]");
    EXPECT_THAT(f.message(), HasSubstr("Allergic to"));
  }
}

TEST_P(MesotherapyTest, PatientOnAnticoagulantsNeedsAnOverride) {
  Patient patient = HealthyPatient();
  patient.mutable_medical_profile()->set_anticoagulants(true);
  auto r = Screen(Catalog(GetParam()), patient, "", kToday);
  EXPECT_TRUE(r.eligible());
  EXPECT_TRUE(r.requires_override());
  ASSERT_THAT(r.warnings(), SizeIs(1));
  EXPECT_EQ(r.warnings(0).code(), v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);
  EXPECT_EQ(r.warnings(0).severity(), v1::CONTRAINDICATION_SEVERITY_RELATIVE);
  EXPECT_EQ(r.warnings(0).field(), "medical_profile.anticoagulants");
  EXPECT_THAT(r.warnings(0).message(), HasSubstr("Blutverdünner"));
}

INSTANTIATE_TEST_SUITE_P(Seed003, MesotherapyTest,
                         ::testing::Values("mesotherapy_hydralift", "mesotherapy_body",
                                           "mesobotox"));

TEST(ScreeningTest, HydraliftBlocksHyaluronicAcidAndDmaeAllergiesButNotOthers) {
  const v1::Protocol hydralift = Catalog("mesotherapy_hydralift");
  EXPECT_FALSE(
      Screen(hydralift, AllergicTo(patient::v1::ALLERGY_SUBSTANCE_HYALURONIC_ACID), "", kToday)
          .eligible());
  auto dmae = Screen(hydralift, AllergicTo(patient::v1::ALLERGY_SUBSTANCE_DMAE), "", kToday);
  EXPECT_FALSE(dmae.eligible());
  EXPECT_EQ(dmae.blocking_reasons(0).message(),
            "Allergie gegen einen Bestandteil: Allergie gegen DMAE. Eine Mesotherapie darf bei "
            "einer Allergie gegen einen Bestandteil des Wirkstoffmixes nicht durchgeführt werden.");
  // Not in the mix: no finding at all.
  auto collagen =
      Screen(hydralift, AllergicTo(patient::v1::ALLERGY_SUBSTANCE_COLLAGEN), "", kToday);
  EXPECT_TRUE(collagen.eligible());
  EXPECT_THAT(collagen.warnings(), IsEmpty());
}

TEST(ScreeningTest, AnticoagulantsWarnForEveryNeedleTreatment) {
  Patient patient = HealthyPatient();
  patient.mutable_medical_profile()->set_anticoagulants(true);
  for (const auto& e : BuiltInCatalog()) {
    auto r = Screen(Catalog(e.key), patient, "", kToday);
    EXPECT_TRUE(r.eligible()) << e.key;
    EXPECT_TRUE(r.requires_override()) << e.key;
    EXPECT_THAT(Codes(r.warnings()), ElementsAre(v1::CONTRAINDICATION_CODE_ANTICOAGULANTS));
  }
}

TEST(ScreeningTest, UnansweredAbsoluteFactBlocksAndSaysWhatToAsk) {
  Patient patient = HealthyPatient("en");
  patient.mutable_medical_profile()->clear_pregnant();
  auto r = Screen(Catalog("collagen_injection"), patient, "", kToday);
  EXPECT_FALSE(r.eligible());
  ASSERT_THAT(r.blocking_reasons(), SizeIs(1));
  EXPECT_TRUE(r.blocking_reasons(0).unanswered());
  EXPECT_EQ(r.blocking_reasons(0).field(), "medical_profile.pregnant");
  EXPECT_EQ(r.blocking_reasons(0).message(), "Not yet asked: is the patient pregnant?");
}

TEST(ScreeningTest, UnansweredRelativeFactWarns) {
  Patient patient = HealthyPatient();
  patient.mutable_medical_profile()->clear_anticoagulants();
  auto r = Screen(Catalog("thread_lift"), patient, "", kToday);
  EXPECT_TRUE(r.eligible());
  EXPECT_TRUE(r.requires_override());
  ASSERT_THAT(r.warnings(), SizeIs(1));
  EXPECT_TRUE(r.warnings(0).unanswered());
  EXPECT_THAT(r.warnings(0).message(), HasSubstr("Noch nicht erfragt"));
}

TEST(ScreeningTest, PatientWithoutProfileIsNeverEligibleForCollagen) {
  Patient patient = HealthyPatient();
  patient.clear_medical_profile();
  auto r = Screen(Catalog("collagen_injection"), patient, "", kToday);
  EXPECT_FALSE(r.eligible());
  EXPECT_THAT(
      Codes(r.blocking_reasons()),
      ElementsAre(v1::CONTRAINDICATION_CODE_PREGNANCY, v1::CONTRAINDICATION_CODE_BREASTFEEDING,
                  v1::CONTRAINDICATION_CODE_DIABETES, v1::CONTRAINDICATION_CODE_CANCER_TREATMENT,
                  v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT));
  for (const auto& f : r.blocking_reasons()) EXPECT_TRUE(f.unanswered());
  EXPECT_THAT(Codes(r.warnings()), ElementsAre(v1::CONTRAINDICATION_CODE_ANTICOAGULANTS));
  EXPECT_FALSE(r.has_medical_profile_update_time());
}

TEST(ScreeningTest, FindingsAreOrderedByCode) {
  Patient patient = HealthyPatient();
  patient.mutable_medical_profile()->set_cancer_treatment(true);
  patient.mutable_medical_profile()->set_pregnant(true);
  patient.mutable_medical_profile()->set_diabetes(true);
  auto r = Screen(Catalog("collagen_injection"), patient, "", kToday);
  EXPECT_THAT(Codes(r.blocking_reasons()),
              ElementsAre(v1::CONTRAINDICATION_CODE_PREGNANCY, v1::CONTRAINDICATION_CODE_DIABETES,
                          v1::CONTRAINDICATION_CODE_CANCER_TREATMENT));
}

TEST(ScreeningTest, AllergyToUnlistedSubstanceAlwaysWarns) {
  Patient patient = AllergicTo(patient::v1::ALLERGY_SUBSTANCE_OTHER);
  for (const char* key : {"mesotherapy_hydralift", "collagen_induction"}) {
    auto r = Screen(Catalog(key), patient, "en", kToday);
    EXPECT_TRUE(r.eligible()) << key;
    EXPECT_TRUE(r.requires_override()) << key;
    ASSERT_THAT(r.warnings(), SizeIs(1)) << key;
    EXPECT_EQ(r.warnings(0).substance(), patient::v1::ALLERGY_SUBSTANCE_OTHER);
    EXPECT_EQ(r.warnings(0).field(), "medical_profile.allergies[0]");
    EXPECT_THAT(r.warnings(0).message(), HasSubstr("unlisted substance"));
  }
}

TEST(ScreeningTest, IngredientAllergyWarnsWhenProtocolListsNoAllergyContraindication) {
  v1::Protocol protocol = Catalog("collagen_induction");
  protocol.add_ingredients()->set_substance(patient::v1::ALLERGY_SUBSTANCE_LIDOCAINE);
  auto r = Screen(protocol, AllergicTo(patient::v1::ALLERGY_SUBSTANCE_LIDOCAINE), "", kToday);
  EXPECT_TRUE(r.eligible());
  ASSERT_THAT(r.warnings(), SizeIs(1));
  EXPECT_EQ(r.warnings(0).substance(), patient::v1::ALLERGY_SUBSTANCE_LIDOCAINE);
}

TEST(ScreeningTest, MessagesFollowRequestThenPatientLocaleThenEnglish) {
  Patient patient = HealthyPatient("de");
  patient.mutable_medical_profile()->set_epilepsy(true);
  const v1::Protocol hydralift = Catalog("mesotherapy_hydralift");

  auto de = Screen(hydralift, patient, "", kToday);
  EXPECT_EQ(de.locale(), "de");
  EXPECT_EQ(de.blocking_reasons(0).message(),
            "Epilepsie: Eine Mesotherapie darf bei Epilepsie nicht durchgeführt werden.");
  EXPECT_EQ(Screen(hydralift, patient, "en-GB", kToday).locale(), "en");
  EXPECT_EQ(Screen(hydralift, patient, "fr", kToday).locale(), "en");
  patient.set_locale("de-AT");
  EXPECT_EQ(Screen(hydralift, patient, "", kToday).locale(), "de");
  EXPECT_EQ(ScreeningLocale("", ""), "en");
}

TEST(ScreeningTest, GenericMessageWhenProtocolHasNone) {
  v1::Protocol protocol = Catalog("collagen_injection");
  for (auto& c : *protocol.mutable_contraindications()) c.clear_message();
  Patient patient = HealthyPatient("en");
  patient.mutable_medical_profile()->set_breastfeeding(true);
  auto r = Screen(protocol, patient, "", kToday);
  EXPECT_EQ(r.blocking_reasons(0).message(), "Breastfeeding: The patient is breastfeeding.");
}

TEST(ScreeningTest, MinorRuleUsesBirthDateOnTreatmentDate) {
  v1::Protocol protocol = Catalog("thread_lift");
  auto* minor = protocol.add_contraindications();
  minor->set_code(v1::CONTRAINDICATION_CODE_MINOR);
  minor->set_severity(v1::CONTRAINDICATION_SEVERITY_ABSOLUTE);
  Patient patient = HealthyPatient();
  patient.mutable_birth_date()->set_year(2010);
  patient.mutable_birth_date()->set_month(6);
  patient.mutable_birth_date()->set_day(15);

  auto day_before = Screen(protocol, patient, "", absl::CivilDay(2028, 6, 14));
  EXPECT_FALSE(day_before.eligible());
  EXPECT_EQ(day_before.blocking_reasons(0).field(), "birth_date");
  EXPECT_TRUE(Screen(protocol, patient, "", absl::CivilDay(2028, 6, 15)).eligible());

  patient.clear_birth_date();
  auto unknown = Screen(protocol, patient, "", kToday);
  EXPECT_FALSE(unknown.eligible());
  EXPECT_TRUE(unknown.blocking_reasons(0).unanswered());
}

TEST(ScreeningTest, CopiesProfileTimeAndVersion) {
  v1::Protocol protocol = Catalog("mesobotox");
  protocol.set_version(4);
  auto r = Screen(protocol, HealthyPatient(), "", kToday);
  EXPECT_EQ(r.protocol_version(), 4);
  EXPECT_EQ(r.medical_profile_update_time().seconds(), 1'700'000'000);
}

TEST(ScreeningTest, RequestedAreasMustBeTheProtocols) {
  const v1::Protocol hydralift = Catalog("mesotherapy_hydralift");
  v1::ScreenEligibilityRequest request;
  request.add_areas(v1::TREATMENT_AREA_NECK);
  EXPECT_TRUE(CheckRequestedAreas(hydralift, request.areas()).ok());
  request.add_areas(v1::TREATMENT_AREA_ARMPITS);
  request.add_areas(static_cast<v1::TreatmentArea>(99));
  absl::Status status = CheckRequestedAreas(hydralift, request.areas());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(common::ViolatedFields(status), ElementsAre("areas[1]", "areas[2]"));
}

TEST(ScreeningTest, TreatmentDayDefaultsToTodayAndRejectsImpossibleDates) {
  v1::ScreenEligibilityRequest request;
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2026, 5, 4, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(*TreatmentDay(request, now), absl::CivilDay(2026, 5, 4));
  request.mutable_treatment_date()->set_year(2026);
  request.mutable_treatment_date()->set_month(2);
  request.mutable_treatment_date()->set_day(28);
  EXPECT_EQ(*TreatmentDay(request, now), absl::CivilDay(2026, 2, 28));
  request.mutable_treatment_date()->set_day(30);
  EXPECT_THAT(common::ViolatedFields(TreatmentDay(request, now).status()),
              ElementsAre("treatment_date"));
  request.mutable_treatment_date()->set_day(0);
  EXPECT_FALSE(TreatmentDay(request, now).ok());
}

}  // namespace
}  // namespace dermaflow::protocol
