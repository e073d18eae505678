// Every validation rule of protocol.proto names the offending field.
#include "services/protocol/domain/protocol_validation.h"

#include <functional>
#include <string>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/localized_text.h"

namespace dermaflow::protocol {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

// A small valid protocol of a clinic's own.
v1::Protocol Valid() {
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_OTHER);
  *p.mutable_display_name() = MakeText({{"de", "Peeling"}, {"en", "Peel"}});
  p.add_areas(v1::TREATMENT_AREA_FACE);
  p.mutable_session_duration()->set_seconds(20 * 60);
  p.mutable_course_plan()->set_session_count(2);
  p.mutable_course_plan()->mutable_interval()->set_seconds(14 * 86400);
  auto* rule = p.add_pre_care();
  rule->set_code("no_makeup");
  *rule->mutable_text() = MakeText({{"en", "No make-up, please."}});
  rule->set_applies_when(v1::CARE_CONDITION_FACIAL_AREA_TREATED);
  return p;
}

std::vector<std::string> Violations(const v1::Protocol& p) {
  common::FieldViolations v;
  ValidateProtocol(p, "protocol", v);
  return common::ViolatedFields(v.ToStatus());
}

struct Case {
  const char* name;
  std::function<void(v1::Protocol&)> change;
  const char* field;
};

class ValidationTest : public ::testing::TestWithParam<Case> {};

TEST(ValidationBaseTest, ValidProtocolPasses) { EXPECT_THAT(Violations(Valid()), IsEmpty()); }

TEST_P(ValidationTest, NamesTheField) {
  v1::Protocol p = Valid();
  GetParam().change(p);
  EXPECT_THAT(Violations(p), Contains(GetParam().field));
}

const std::string kLong101(101, 'x');

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidationTest,
    ::testing::Values(
        Case{"MissingCategory", [](auto& p) { p.clear_category(); }, "protocol.category"},
        Case{"UnknownCategory",
             [](auto& p) {
               p.set_category(static_cast<v1::ProtocolCategory>(99));
             },
             "protocol.category"},
        Case{"MissingName", [](auto& p) { p.clear_display_name(); }, "protocol.display_name"},
        Case{"NameWithoutEnglish",
             [](auto& p) { *p.mutable_display_name() = MakeText({{"de", "Peeling"}}); },
             "protocol.display_name"},
        Case{"NameTooLong",
             [](auto& p) { p.mutable_display_name()->mutable_translations(1)->set_text(kLong101); },
             "protocol.display_name.translations[1].text"},
        Case{"BlankName",
             [](auto& p) { p.mutable_display_name()->mutable_translations(1)->set_text("  "); },
             "protocol.display_name.translations[1].text"},
        Case{"BadLocale",
             [](auto& p) {
               p.mutable_display_name()->mutable_translations(0)->set_locale("deutsch");
             },
             "protocol.display_name.translations[0].locale"},
        Case{"LocaleTwice",
             [](auto& p) { p.mutable_display_name()->mutable_translations(0)->set_locale("EN"); },
             "protocol.display_name.translations[1].locale"},
        Case{"NoAreas", [](auto& p) { p.clear_areas(); }, "protocol.areas"},
        Case{"AreaTwice", [](auto& p) { p.add_areas(v1::TREATMENT_AREA_FACE); },
             "protocol.areas[1]"},
        Case{"UnknownArea",
             [](auto& p) {
               p.add_areas(static_cast<v1::TreatmentArea>(77));
             }, "protocol.areas[1]"},
        Case{"MissingSessionDuration", [](auto& p) { p.clear_session_duration(); },
             "protocol.session_duration"},
        Case{"NegativeSessionDuration",
             [](auto& p) {
               p.mutable_session_duration()->set_seconds(-60);
             },
             "protocol.session_duration"},
        Case{"SessionNotWholeMinutes",
             [](auto& p) {
               p.mutable_session_duration()->set_seconds(610);
             },
             "protocol.session_duration"},
        Case{"SessionTooShort", [](auto& p) { p.mutable_session_duration()->set_seconds(60); },
             "protocol.session_duration"},
        Case{"SessionTooLong",
             [](auto& p) { p.mutable_session_duration()->set_seconds(9 * 3600); },
             "protocol.session_duration"},
        Case{"MissingCoursePlan", [](auto& p) { p.clear_course_plan(); }, "protocol.course_plan"},
        Case{"TooManySessions", [](auto& p) { p.mutable_course_plan()->set_session_count(21); },
             "protocol.course_plan.session_count"},
        Case{"NegativeSessions", [](auto& p) { p.mutable_course_plan()->set_session_count(-1); },
             "protocol.course_plan.session_count"},
        Case{"CourseWithoutInterval", [](auto& p) { p.mutable_course_plan()->clear_interval(); },
             "protocol.course_plan.interval"},
        Case{"IntervalShorterThanSession",
             [](auto& p) { p.mutable_course_plan()->mutable_interval()->set_seconds(600); },
             "protocol.course_plan.interval"},
        Case{"IntervalOverAYear",
             [](auto& p) { p.mutable_course_plan()->mutable_interval()->set_seconds(366 * 86400); },
             "protocol.course_plan.interval"},
        Case{"FractionalInterval",
             [](auto& p) { p.mutable_course_plan()->mutable_interval()->set_nanos(5); },
             "protocol.course_plan.interval"},
        Case{"ToleranceOverHalfInterval",
             [](auto& p) { p.mutable_course_plan()->mutable_tolerance()->set_seconds(8 * 86400); },
             "protocol.course_plan.tolerance"},
        Case{"FollowUpBadCode",
             [](auto& p) {
               auto* f = p.add_follow_ups();
               f->set_code("Day 7");
               f->mutable_offset()->set_seconds(86400);
               *f->mutable_text() = MakeText({{"en", "Check"}});
             },
             "protocol.follow_ups[0].code"},
        Case{"FollowUpWithoutOffset",
             [](auto& p) {
               auto* f = p.add_follow_ups();
               f->set_code("check");
               *f->mutable_text() = MakeText({{"en", "Check"}});
             },
             "protocol.follow_ups[0].offset"},
        Case{"FollowUpWithoutText",
             [](auto& p) {
               auto* f = p.add_follow_ups();
               f->set_code("check");
               f->mutable_offset()->set_seconds(86400);
             },
             "protocol.follow_ups[0].text"},
        Case{"TooManyFollowUps",
             [](auto& p) {
               for (int i = 0; i < 11; ++i) {
                 auto* f = p.add_follow_ups();
                 f->set_code("check_" + std::to_string(i));
                 f->mutable_offset()->set_seconds(86400);
                 *f->mutable_text() = MakeText({{"en", "Check"}});
               }
             },
             "protocol.follow_ups"},
        Case{"MaintenanceZeroMonths", [](auto& p) { p.mutable_maintenance(); },
             "protocol.maintenance.interval_months"},
        Case{"MaintenanceTooManyMonths",
             [](auto& p) { p.mutable_maintenance()->set_interval_months(61); },
             "protocol.maintenance.interval_months"},
        Case{"MaintenanceLeadOver90Days",
             [](auto& p) {
               p.mutable_maintenance()->set_interval_months(6);
               p.mutable_maintenance()->mutable_reminder_lead()->set_seconds(91 * 86400);
             },
             "protocol.maintenance.reminder_lead"},
        Case{"IngredientUnspecified", [](auto& p) { p.add_ingredients(); },
             "protocol.ingredients[0].substance"},
        Case{"IngredientTwice",
             [](auto& p) {
               p.add_ingredients()->set_substance(patient::v1::ALLERGY_SUBSTANCE_DMAE);
               p.add_ingredients()->set_substance(patient::v1::ALLERGY_SUBSTANCE_DMAE);
             },
             "protocol.ingredients[1].substance"},
        Case{"ContraindicationTwice",
             [](auto& p) {
               for (int i = 0; i < 2; ++i) {
                 auto* c = p.add_contraindications();
                 c->set_code(v1::CONTRAINDICATION_CODE_EPILEPSY);
                 c->set_severity(v1::CONTRAINDICATION_SEVERITY_ABSOLUTE);
               }
             },
             "protocol.contraindications"},
        Case{"ContraindicationWithoutSeverity",
             [](auto& p) { p.add_contraindications()->set_code(v1::CONTRAINDICATION_CODE_MINOR); },
             "protocol.contraindications[0].severity"},
        Case{"ContraindicationUnknownCode",
             [](auto& p) {
               auto* c = p.add_contraindications();
               c->set_code(static_cast<v1::ContraindicationCode>(42));
               c->set_severity(v1::CONTRAINDICATION_SEVERITY_RELATIVE);
             },
             "protocol.contraindications[0].code"},
        Case{"PreCareOnBruising",
             [](auto& p) {
               p.mutable_pre_care(0)->set_applies_when(v1::CARE_CONDITION_BRUISING_RECORDED);
             },
             "protocol.pre_care[0].applies_when"},
        Case{"PreCareWithDuration",
             [](auto& p) { p.mutable_pre_care(0)->mutable_duration()->set_seconds(3600); },
             "protocol.pre_care[0].duration"},
        Case{"CareRuleWithoutCondition",
             [](auto& p) { p.mutable_pre_care(0)->clear_applies_when(); },
             "protocol.pre_care[0].applies_when"},
        Case{"CareRuleWithoutText", [](auto& p) { p.mutable_pre_care(0)->clear_text(); },
             "protocol.pre_care[0].text"},
        Case{"CareRuleCodeTwice",
             [](auto& p) { *p.add_pre_care() = p.pre_care(0); },
             "protocol.pre_care[1].code"},
        Case{"AftercareLongerThan90Days",
             [](auto& p) {
               auto* r = p.add_aftercare();
               r->set_code("no_sun");
               r->mutable_duration()->set_seconds(91 * 86400);
               *r->mutable_text() = MakeText({{"en", "No sun"}});
               r->set_applies_when(v1::CARE_CONDITION_ALWAYS);
             },
             "protocol.aftercare[0].duration"},
        Case{"CheckInOver30Days",
             [](auto& p) { p.mutable_aftercare_check_in_offset()->set_seconds(31 * 86400); },
             "protocol.aftercare_check_in_offset"},
        Case{"CheckInZero", [](auto& p) { p.mutable_aftercare_check_in_offset(); },
             "protocol.aftercare_check_in_offset"},
        Case{"SideEffectsWithoutEnglish",
             [](auto& p) { *p.mutable_side_effects_normal() = MakeText({{"de", "Rötung"}}); },
             "protocol.side_effects_normal"},
        Case{"ChangeNoteTooLong", [](auto& p) { p.set_change_note(std::string(501, 'n')); },
             "protocol.change_note"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ValidationBaseTest, OffsetsOfSecondsAreAllowedForEndToEndTests) {
  v1::Protocol p = Valid();
  p.mutable_session_duration()->set_seconds(5 * 60);
  p.mutable_course_plan()->mutable_interval()->set_seconds(5 * 60);
  auto* f = p.add_follow_ups();
  f->set_code("quick_check");
  f->mutable_offset()->set_seconds(5);
  *f->mutable_text() = MakeText({{"en", "How are you?"}});
  p.mutable_aftercare_check_in_offset()->set_seconds(3);
  EXPECT_THAT(Violations(p), IsEmpty());
}

TEST(ValidationBaseTest, LengthsCountCharactersNotBytes) {
  v1::Protocol p = Valid();
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "ä";
  p.mutable_display_name()->mutable_translations(0)->set_text(umlauts);
  EXPECT_THAT(Violations(p), IsEmpty());
  p.mutable_display_name()->mutable_translations(0)->set_text(umlauts + "ä");
  EXPECT_FALSE(Violations(p).empty());
}

TEST(ValidationBaseTest, SingleSessionNeedsNoInterval) {
  v1::Protocol p = Valid();
  p.mutable_course_plan()->set_session_count(1);
  p.mutable_course_plan()->clear_interval();
  EXPECT_THAT(Violations(p), IsEmpty());
}

TEST(ValidationBaseTest, ReportsEveryBadFieldAtOnce) {
  v1::Protocol p = Valid();
  p.clear_category();
  p.clear_areas();
  p.clear_session_duration();
  EXPECT_EQ(Violations(p).size(), 3u);
}

TEST(ValidationBaseTest, CodesAreLowerSnakeCase) {
  EXPECT_TRUE(IsValidCode("day7_result_check"));
  EXPECT_FALSE(IsValidCode(""));
  EXPECT_FALSE(IsValidCode("NoSauna"));
  EXPECT_FALSE(IsValidCode(std::string(65, 'a')));
}

}  // namespace
}  // namespace dermaflow::protocol
