// Every field rule of a Patient (one case each, shared with the gRPC test),
// and the single rule functions at their edges.
#include "services/patient/domain/patient_validation.h"

#include "absl/time/civil_time.h"
#include "common/api/request_id.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using ::testing::ElementsAre;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 29, 12, 0, 0), absl::UTCTimeZone());

std::vector<std::string> Violations(v1::Patient patient) {
  common::FieldViolations violations;
  ValidatePatient(patient, kNow, "patient.", violations);
  ValidateInitialConsents(patient.consents(), "patient.", violations);
  return common::ViolatedFields(violations.ToStatus());
}

TEST(PatientValidationTest, AcceptsTheValidPatient) {
  EXPECT_THAT(Violations(testing::ValidPatient()), ::testing::IsEmpty());
}

class InvalidPatientTest : public ::testing::TestWithParam<testing::InvalidPatientCase> {};

TEST_P(InvalidPatientTest, NamesTheBrokenField) {
  v1::Patient patient = testing::ValidPatient();
  GetParam().mutate(patient, absl::ToCivilDay(kNow, absl::UTCTimeZone()));
  EXPECT_THAT(Violations(patient), ElementsAre(GetParam().field));
}

INSTANTIATE_TEST_SUITE_P(PatientRules, InvalidPatientTest,
                         ::testing::ValuesIn(testing::InvalidPatientCases()),
                         [](const auto& info) { return info.param.name; });

TEST(PatientValidationTest, ReportsEveryBadFieldAtOnce) {
  v1::Patient patient = testing::ValidPatient();
  patient.set_given_name("");
  patient.set_locale("xx");
  patient.mutable_contact()->set_phone("12");
  EXPECT_THAT(Violations(patient),
              ElementsAre("patient.given_name", "patient.locale", "patient.contact.phone"));
}

TEST(PatientValidationTest, NormalizesNamesAndLocale) {
  v1::Patient patient = testing::ValidPatient();
  patient.set_given_name("  Anna ");
  patient.set_locale("de-at");
  common::FieldViolations violations;
  ValidatePatient(patient, kNow, "patient.", violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(patient.given_name(), "Anna");
  EXPECT_EQ(patient.locale(), "de-AT");
}

TEST(PatientValidationTest, OptionalFieldsMayBeEmpty) {
  v1::Patient patient = testing::ValidPatient();
  patient.clear_time_zone();
  patient.clear_contact();
  patient.clear_quiet_hours();
  patient.clear_medical_profile();
  patient.clear_home_clinic_id();
  patient.clear_consents();
  patient.set_preferred_channel(v1::CHANNEL_UNSPECIFIED);
  EXPECT_THAT(Violations(patient), ::testing::IsEmpty());
}

TEST(PatientCheckNameTest, CountsCharactersNotBytes) {
  std::string hundred_umlauts;
  for (int i = 0; i < 100; ++i) hundred_umlauts += "ö";
  EXPECT_FALSE(CheckName(hundred_umlauts));
  EXPECT_TRUE(CheckName(hundred_umlauts + "a"));
  EXPECT_TRUE(CheckName("Ann\xC3"));  // cut UTF-8
}

TEST(PatientCheckBirthDateTest, TodayIsFineTomorrowEverywhereIsNot) {
  google::type::Date date;
  date.set_year(2026), date.set_month(3), date.set_day(29);
  EXPECT_FALSE(CheckBirthDate(date, kNow));
  // Already the 30th in Kiribati (UTC+14) at 12:00 UTC: not in the future.
  date.set_day(30);
  EXPECT_FALSE(CheckBirthDate(date, kNow));
  date.set_day(31);
  EXPECT_EQ(CheckBirthDate(date, kNow), "is in the future");
  date.set_year(1896), date.set_month(3), date.set_day(30);
  EXPECT_FALSE(CheckBirthDate(date, kNow));  // 130 years ago
  date.set_day(28);
  EXPECT_TRUE(CheckBirthDate(date, kNow));
  date.set_year(2024), date.set_month(2), date.set_day(29);
  EXPECT_FALSE(CheckBirthDate(date, kNow));  // leap day
}

TEST(PatientCheckTimeZoneTest, KnowsIanaZonesOnly) {
  EXPECT_FALSE(CheckTimeZone("Europe/Berlin"));
  EXPECT_FALSE(CheckTimeZone("America/Argentina/Buenos_Aires"));
  EXPECT_FALSE(CheckTimeZone("UTC"));
  EXPECT_FALSE(CheckTimeZone(""));
  EXPECT_TRUE(CheckTimeZone("Europe"));
  EXPECT_TRUE(CheckTimeZone("/usr/share/zoneinfo/UTC"));
  EXPECT_TRUE(CheckTimeZone("Europe/Berlin "));
}

TEST(PatientCheckEmailTest, AcceptsCommonAddresses) {
  EXPECT_FALSE(CheckEmail("anna@example.org"));
  EXPECT_FALSE(CheckEmail("Anna.Meier+reminders@mail.example.co.uk"));
  EXPECT_FALSE(CheckEmail("o'brien@example.ie"));
  EXPECT_TRUE(CheckEmail("@example.org"));
  EXPECT_TRUE(CheckEmail(".anna@example.org"));
  EXPECT_TRUE(CheckEmail("anna@-example.org"));
  EXPECT_TRUE(CheckEmail("anna@example.o"));
  EXPECT_TRUE(CheckEmail("anna@example.123"));
  EXPECT_TRUE(CheckEmail("an na@example.org"));
  EXPECT_TRUE(CheckEmail("anna@exa_mple.org"));
  EXPECT_TRUE(CheckEmail("anna@example.org."));
}

TEST(PatientCheckPhoneTest, WantsE164) {
  EXPECT_FALSE(CheckPhone("+4915112345678"));
  EXPECT_FALSE(CheckPhone("+4930123"));          // 7 digits: shortest
  EXPECT_FALSE(CheckPhone("+123456789012345"));  // 15 digits: longest
  EXPECT_TRUE(CheckPhone("+493012"));
  EXPECT_TRUE(CheckPhone("+1234567890123456"));
  EXPECT_TRUE(CheckPhone("4915112345678"));
  EXPECT_TRUE(CheckPhone("+49-151-1234567"));
}

// The patient store puts request ids into Redis keys (common/api/request_id.h).
TEST(PatientCheckRequestIdTest, TakesUuidsAndRefusesKeyBreakers) {
  EXPECT_FALSE(common::RequestIdProblem("7f0c1a52-5a5e-4c3b-9d1e-2f7c8a9b0c1d"));
  EXPECT_TRUE(common::RequestIdProblem(""));
  EXPECT_TRUE(common::RequestIdProblem(std::string(65, 'a')));
  EXPECT_TRUE(common::RequestIdProblem("a:b"));
  EXPECT_TRUE(common::RequestIdProblem("a{b}"));
}

TEST(PatientCheckTextTest, LimitsLengthInCharacters) {
  EXPECT_FALSE(CheckText("", /*required=*/false));
  EXPECT_TRUE(CheckText("  ", /*required=*/true));
  EXPECT_FALSE(CheckText(std::string(500, 'x'), false));
  EXPECT_TRUE(CheckText(std::string(501, 'x'), false));
}

TEST(PatientIdTest, OnlyKeySafeIdsCanExist) {
  EXPECT_TRUE(IsWellFormedPatientId("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsWellFormedPatientId(""));
  EXPECT_FALSE(IsWellFormedPatientId("a:b"));
  EXPECT_FALSE(IsWellFormedPatientId("{other}"));
  EXPECT_FALSE(IsWellFormedPatientId(std::string(65, 'a')));
}

}  // namespace
}  // namespace dermaflow::patient
