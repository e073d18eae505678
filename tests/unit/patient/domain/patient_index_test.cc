#include "services/patient/domain/patient_index.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

v1::Patient Named(std::string family, std::string given, std::string id) {
  v1::Patient patient;
  patient.set_family_name(std::move(family));
  patient.set_given_name(std::move(given));
  patient.set_id(std::move(id));
  return patient;
}

TEST(PatientListPositionTest, OrdersByFamilyThenGivenThenIdIgnoringCaseAndAccents) {
  std::vector<std::string> positions = {
      ListPosition(Named("Müller", "Anna", "b")), ListPosition(Named("Maier", "Zoe", "a")),
      ListPosition(Named("Mai", "Zoe", "z")),     ListPosition(Named("MULLER", "Anna", "a")),
      ListPosition(Named("Muller", "Ben", "0")),  ListPosition(Named("Mai", "Adam", "z")),
  };
  std::sort(positions.begin(), positions.end());
  std::vector<std::string> ids;
  for (const std::string& p : positions) ids.emplace_back(IdOfPosition(p));
  EXPECT_THAT(ids, ::testing::ElementsAre("z", "z", "a", "a", "b", "0"));
  EXPECT_EQ(positions[0], std::string("mai\x01"
                                      "adam\x01"
                                      "z"));
}

TEST(PatientIndexMembersTest, OneMemberPerIndexWithAValue) {
  v1::Patient patient = Named("Müller", "Anna", "p1");
  patient.mutable_contact()->set_email("Anna@Example.ORG");
  std::array<std::string, 4> members = IndexMembers(patient);
  const std::string position =
      "muller\x01"
      "anna\x01"
      "p1";
  EXPECT_EQ(members[0], position);
  EXPECT_EQ(members[1], "");
  EXPECT_EQ(members[2], std::string("anna@example.org") + '\0' + position);
  EXPECT_EQ(members[3], "");
  EXPECT_EQ(PositionOfMember(PatientIndex::kEmail, members[2]), position);
  EXPECT_EQ(PositionOfMember(PatientIndex::kName, members[0]), position);
  EXPECT_EQ(IdOfPosition(position), "p1");
}

TEST(PatientScanRangeTest, WholeIndexPrefixAndContinuation) {
  IndexScan scan;
  EXPECT_EQ(ScanRange(scan).min, "-");
  EXPECT_EQ(ScanRange(scan).max, "+");
  scan.name_prefix = "mul";
  EXPECT_EQ(ScanRange(scan).min, "[mul");
  EXPECT_EQ(ScanRange(scan).max, "(mul\xff");
  scan.after =
      "muller\x01"
      "anna\x01"
      "p1";
  EXPECT_EQ(ScanRange(scan).min, "(" + scan.after);
}

TEST(PatientScanRangeTest, ValueIndexesStayInsideTheirValue) {
  IndexScan scan{.index = PatientIndex::kPhone, .value = "+4915112345678"};
  const std::string value_start = std::string("+4915112345678") + '\0';
  EXPECT_EQ(ScanRange(scan).min, "[" + value_start);
  EXPECT_EQ(ScanRange(scan).max, "(" + value_start + "\xff");
  scan.name_prefix = "mu";
  EXPECT_EQ(ScanRange(scan).min, "[" + value_start + "mu");
  scan.after =
      "muller\x01"
      "anna\x01"
      "p1";
  EXPECT_EQ(ScanRange(scan).min, "(" + value_start + scan.after);
  EXPECT_EQ(ScanRange(scan).max, "(" + value_start + "mu\xff");
}

}  // namespace
}  // namespace dermaflow::patient
