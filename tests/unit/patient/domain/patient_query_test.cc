#include "services/patient/domain/patient_query.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using ::testing::ElementsAre;

TEST(PatientParsePatientFilterTest, NormalizesFilters) {
  v1::ListPatientsRequest request;
  request.set_family_name_prefix(" MÜL ");
  request.set_email("Anna@Example.org");
  absl::StatusOr<PatientFilter> filter = ParsePatientFilter(request);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->family_prefix, "mul");
  EXPECT_EQ(filter->email, "anna@example.org");
}

TEST(PatientParsePatientFilterTest, NamesEachBadFilter) {
  v1::ListPatientsRequest request;
  request.set_family_name_prefix("M");
  request.set_phone("0151 123");
  request.set_email("anna");
  request.set_home_clinic_id(std::string(65, 'c'));
  EXPECT_THAT(common::ViolatedFields(ParsePatientFilter(request).status()),
              ElementsAre("family_name_prefix", "phone", "email", "home_clinic_id"));
}

TEST(PatientPlanScanTest, MostSelectiveIndexWithThePrefixAsRange) {
  PatientFilter filter{.family_prefix = "mu", .email = "a@b.de", .home_clinic_id = "c1"};
  IndexScan scan = PlanScan(filter);
  EXPECT_EQ(scan.index, PatientIndex::kEmail);
  EXPECT_EQ(scan.value, "a@b.de");
  EXPECT_EQ(scan.name_prefix, "mu");
  filter.phone = "+4915112345678";
  EXPECT_EQ(PlanScan(filter).index, PatientIndex::kPhone);
  EXPECT_EQ(PlanScan(PatientFilter{.home_clinic_id = "c1"}).index, PatientIndex::kHomeClinic);
  EXPECT_EQ(PlanScan(PatientFilter{}).index, PatientIndex::kName);
}

TEST(PatientMatchesTest, AllFiltersMustHold) {
  const v1::Patient patient = testing::ValidPatient();
  EXPECT_TRUE(Matches(patient, {}));
  EXPECT_TRUE(Matches(patient, {.family_prefix = "mul",
                                .phone = "+4915112345678",
                                .email = "anna.mueller@example.org",
                                .home_clinic_id = "clinic-berlin-mitte"}));
  EXPECT_FALSE(Matches(patient, {.family_prefix = "mei"}));
  EXPECT_FALSE(Matches(patient, {.phone = "+4915100000000"}));
  EXPECT_FALSE(Matches(patient, {.email = "other@example.org"}));
  EXPECT_FALSE(Matches(patient, {.home_clinic_id = "clinic-hamburg"}));
}

}  // namespace
}  // namespace dermaflow::patient
