#include "services/patient/domain/patient_fields.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using ::testing::ElementsAre;

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (auto& p : paths) mask.add_paths(p);
  return mask;
}

TEST(PatientParseUpdateMaskTest, RefusesEmptyUnknownAndNonUpdatablePaths) {
  for (const std::vector<std::string>& paths :
       std::vector<std::vector<std::string>>{{},
                                             {"consents"},
                                             {"id"},
                                             {"etag"},
                                             {"create_time"},
                                             {"medical_profile.update_time"},
                                             {"nickname"},
                                             {"contact.fax"},
                                             {"given_name", "update_time"}}) {
    absl::StatusOr<UpdatePaths> parsed = ParseUpdateMask(Mask(paths));
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(common::ViolatedFields(parsed.status()), ElementsAre("update_mask"));
  }
}

TEST(PatientParseUpdateMaskTest, StarMeansEveryUpdatableTopLevelField) {
  absl::StatusOr<UpdatePaths> parsed = ParseUpdateMask(Mask({"*", "given_name"}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_THAT(*parsed, ElementsAre("given_name", "family_name", "birth_date", "locale", "time_zone",
                                   "contact", "preferred_channel", "quiet_hours", "home_clinic_id",
                                   "medical_profile"));
}

TEST(PatientApplyUpdateTest, ReplacesOnlyMaskedFields) {
  v1::Patient current = testing::ValidPatient();
  v1::Patient patch;
  patch.set_given_name("Anne");
  patch.set_family_name("ignored");
  patch.mutable_contact()->set_phone("+4915199999999");
  v1::Patient updated = ApplyUpdate(current, patch, {"given_name", "contact.phone"});
  EXPECT_EQ(updated.given_name(), "Anne");
  EXPECT_EQ(updated.family_name(), "Müller");
  EXPECT_EQ(updated.contact().phone(), "+4915199999999");
  EXPECT_EQ(updated.contact().email(), "anna.mueller@example.org");
}

TEST(PatientApplyUpdateTest, MaskedButUnsetClears) {
  v1::Patient current = testing::ValidPatient();
  v1::Patient updated =
      ApplyUpdate(current, v1::Patient(), {"contact", "quiet_hours", "time_zone"});
  EXPECT_FALSE(updated.has_contact());
  EXPECT_FALSE(updated.has_quiet_hours());
  EXPECT_EQ(updated.time_zone(), "");
  EXPECT_EQ(updated.given_name(), "Anna");
}

TEST(PatientApplyUpdateTest, MedicalFactsKeepPresence) {
  v1::Patient current = testing::ValidPatient();
  v1::Patient patch;
  patch.mutable_medical_profile()->set_diabetes(true);
  patch.mutable_medical_profile()->add_allergies()->set_substance(v1::ALLERGY_SUBSTANCE_DMAE);
  v1::Patient updated = ApplyUpdate(
      current, patch,
      {"medical_profile.diabetes", "medical_profile.pregnant", "medical_profile.allergies"});
  const v1::MedicalProfile& profile = updated.medical_profile();
  EXPECT_TRUE(profile.has_diabetes() && profile.diabetes());
  EXPECT_FALSE(profile.has_pregnant());  // listed but unset: back to "not asked"
  EXPECT_TRUE(profile.has_has_allergies());
  ASSERT_EQ(profile.allergies_size(), 1);
  EXPECT_EQ(profile.allergies(0).substance(), v1::ALLERGY_SUBSTANCE_DMAE);
  EXPECT_EQ(profile.fitzpatrick_skin_type(), v1::FITZPATRICK_SKIN_TYPE_III);
}

TEST(PatientPathsTest, SplitsMedicalFromPersonal) {
  std::vector<std::string> personal, medical;
  SplitMedicalPaths({"given_name", "medical_profile.pregnant", "contact", "medical_profile"},
                    &personal, &medical);
  EXPECT_THAT(personal, ElementsAre("given_name", "contact"));
  EXPECT_THAT(medical, ElementsAre("medical_profile.pregnant", "medical_profile"));
}

TEST(PatientPathsTest, SetFieldPathsNamesFactsButNoValues) {
  v1::Patient patient = testing::ValidPatient();
  patient.set_id("p1");
  patient.set_etag("3");
  patient.mutable_create_time()->set_seconds(1);
  EXPECT_THAT(
      SetFieldPaths(patient),
      ElementsAre("given_name", "family_name", "birth_date", "locale", "time_zone", "contact",
                  "preferred_channel", "consents", "quiet_hours", "medical_profile.pregnant",
                  "medical_profile.has_allergies", "medical_profile.allergies",
                  "medical_profile.fitzpatrick_skin_type", "home_clinic_id"));
}

TEST(PatientPathsTest, BasicViewHasNoMedicalProfile) {
  v1::Patient basic = BasicView(testing::ValidPatient());
  EXPECT_FALSE(basic.has_medical_profile());
  EXPECT_EQ(basic.given_name(), "Anna");
  EXPECT_EQ(basic.consents_size(), 1);
}

}  // namespace
}  // namespace dermaflow::patient
