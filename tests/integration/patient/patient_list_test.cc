// ListPatients over real gRPC and Redis: order, pagination across 1,000
// patients while more are added, filters, and page-token checks.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "tests/integration/patient/patient_test_fixture.h"

namespace dermaflow::patient::testing {
namespace {

using ::testing::ElementsAre;

class PatientListTest : public PatientServiceTest {
 protected:
  std::vector<std::string> FamilyNames(const v1::ListPatientsResponse& response) {
    std::vector<std::string> names;
    for (const auto& p : response.patients()) names.push_back(p.family_name());
    return names;
  }
};

TEST_F(PatientListTest, OrdersByFamilyThenGivenNameWithoutMedicalProfiles) {
  CreateNamed(kStaffA, "Zoe", "Maier");
  CreateNamed(kStaffA, "Anna", "Müller");
  CreateNamed(kStaffA, "Ben", "Mai");
  CreateNamed(kStaffA, "Adam", "mai");
  CreateNamed(kStaffA, "Carl", "Abel");
  absl::StatusOr<v1::ListPatientsResponse> all = List(kStaffA, {});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(FamilyNames(*all), ElementsAre("Abel", "mai", "Mai", "Maier", "Müller"));
  EXPECT_EQ(all->patients(1).given_name(), "Adam");
  EXPECT_TRUE(all->next_page_token().empty());
  for (const auto& p : all->patients()) EXPECT_FALSE(p.has_medical_profile());
}

TEST_F(PatientListTest, PagesThroughAThousandPatientsWithoutGapsOrRepeatsWhileMoreAreAdded) {
  std::set<std::string> originals;
  for (int i = 0; i < 1000; ++i) {
    // Many namesakes, so the id decides the order among them.
    originals.insert(
        CreateNamed(kStaffA, absl::StrCat("Given", i % 7), absl::StrFormat("Family%03d", i % 250))
            .id());
  }
  std::map<std::string, int> seen;
  std::set<std::string> behind_cursor;
  v1::ListPatientsRequest request;
  request.set_page_size(37);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListPatientsResponse> page = List(kStaffA, request);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->patients_size(), 37);
    for (const auto& p : page->patients()) ++seen[p.id()];
    request.set_page_token(page->next_page_token());
    ++pages;
    // Between pages others register patients: one sorting before the cursor
    // (FamilyNNN with NNN = pages is long passed), one after all originals.
    behind_cursor.insert(CreateNamed(kStaffA, "Early", absl::StrFormat("Family%03d", pages)).id());
    CreateNamed(kStaffA, "Late", "Zz-Late");
  } while (!request.page_token().empty() && pages < 100);

  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << "repeated " << id;
  for (const std::string& id : originals) EXPECT_EQ(seen.count(id), 1u) << "missing " << id;
  for (const std::string& id : behind_cursor)
    EXPECT_EQ(seen.count(id), 0u) << "behind the cursor " << id;
  EXPECT_GT(seen.size(), 1000u);  // patients added ahead of the cursor are listed
  EXPECT_GE(pages, 28);
  EXPECT_LE(pages, 40);
}

TEST_F(PatientListTest, FiltersByFamilyPrefixPhoneEmailAndClinic) {
  CreateNamed(kStaffA, "Anna", "Müller", "+4915111111111", "anna@example.org");
  CreateNamed(kStaffA, "Max", "Mueller", "+4915122222222", "max@example.org");
  CreateNamed(kStaffA, "Lea", "Mulder", "+4915111111111", "lea@example.org");
  CreateNamed(kStaffA, "Tom", "Schulz", "+4915133333333", "Tom@Example.org");

  v1::ListPatientsRequest request;
  request.set_family_name_prefix("MUL");  // finds Müller, ignoring case and accents
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Mulder", "Müller"));
  request.set_family_name_prefix("mü");
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Mueller", "Mulder", "Müller"));

  request = {};
  request.set_phone("+4915111111111");
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Mulder", "Müller"));
  request.set_family_name_prefix("mül");  // folds to "mul": Mulder too
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Mulder", "Müller"));
  request.set_family_name_prefix("MÜLL");
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Müller"));

  request = {};
  request.set_email("tom@example.ORG");
  EXPECT_THAT(FamilyNames(*List(kStaffA, request)), ElementsAre("Schulz"));

  request = {};
  request.set_home_clinic_id("clinic-berlin-mitte");  // ValidPatient's
  EXPECT_EQ(List(kStaffA, request)->patients_size(), 4);
  request.set_home_clinic_id("clinic-hamburg");
  EXPECT_EQ(List(kStaffA, request)->patients_size(), 0);
}

TEST_F(PatientListTest, FilteredPagesAreCompleteToo) {
  for (int i = 0; i < 30; ++i) {
    CreateNamed(kStaffA, absl::StrCat("P", i), i % 2 ? "Schmidt" : "Schneider",
                i % 3 ? "+4930111111" : "");
  }
  v1::ListPatientsRequest request;
  request.set_family_name_prefix("schm");
  request.set_phone("+4930111111");
  request.set_page_size(4);
  int total = 0;
  do {
    v1::ListPatientsResponse page = *List(kStaffA, request);
    for (const auto& p : page.patients()) {
      EXPECT_EQ(p.family_name(), "Schmidt");
      EXPECT_EQ(p.contact().phone(), "+4930111111");
    }
    total += page.patients_size();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(total, 10);  // odd i not divisible by 3: 1,5,7,11,13,17,19,23,25,29
}

TEST_F(PatientListTest, RefusesBadArgumentsAndForeignTokens) {
  for (int i = 0; i < 3; ++i) CreateNamed(kStaffA, "A", absl::StrCat("Name", i));
  v1::ListPatientsRequest request;
  request.set_page_size(-1);
  EXPECT_THAT(common::ViolatedFields(List(kStaffA, request).status()), ElementsAre("page_size"));
  request = {};
  request.set_family_name_prefix("M");
  EXPECT_THAT(common::ViolatedFields(List(kStaffA, request).status()),
              ElementsAre("family_name_prefix"));
  request = {};
  request.set_phone("0151");
  EXPECT_THAT(common::ViolatedFields(List(kStaffA, request).status()), ElementsAre("phone"));

  request = {};
  request.set_page_size(1);
  const std::string token = List(kStaffA, request)->next_page_token();
  ASSERT_FALSE(token.empty());
  request.set_page_token(token);
  EXPECT_EQ(List(kStaffA, request)->patients(0).family_name(), "Name1");
  request.set_family_name_prefix("Na");  // other filters than the token's
  EXPECT_THAT(common::ViolatedFields(List(kStaffA, request).status()), ElementsAre("page_token"));
  request.clear_family_name_prefix();
  request.set_page_token(token + "x");
  EXPECT_THAT(common::ViolatedFields(List(kStaffA, request).status()), ElementsAre("page_token"));
  request.set_page_token(token);
  EXPECT_THAT(common::ViolatedFields(List(kStaffB, request).status()), ElementsAre("page_token"));
}

}  // namespace
}  // namespace dermaflow::patient::testing
