// The built-in catalog holds every fact the clinic seeds give (DOMAIN.md's
// table; seed numbers in each test's comment), in German and English.
#include "services/protocol/domain/catalog.h"

#include <map>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/protocol_validation.h"

namespace dermaflow::protocol {
namespace {

using patient::v1::AllergySubstance;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

const v1::Protocol& Entry(std::string_view key) {
  const CatalogEntry* e = FindCatalogEntry(key);
  EXPECT_NE(e, nullptr) << key;
  static const v1::Protocol kEmpty;
  return e == nullptr ? kEmpty : e->protocol;
}

// The exact translation, "" when missing.
std::string In(const v1::LocalizedText& text, std::string_view locale) {
  for (const auto& t : text.translations()) {
    if (t.locale() == locale) return t.text();
  }
  return "";
}
std::string De(const v1::LocalizedText& text) { return In(text, "de"); }
std::string En(const v1::LocalizedText& text) { return In(text, "en"); }

std::vector<int> Areas(const v1::Protocol& p) { return {p.areas().begin(), p.areas().end()}; }

std::set<int> Ingredients(const v1::Protocol& p) {
  std::set<int> result;
  for (const auto& i : p.ingredients()) result.insert(i.substance());
  return result;
}

// code -> severity
std::map<int, int> Contraindications(const v1::Protocol& p) {
  std::map<int, int> result;
  for (const auto& c : p.contraindications()) result[c.code()] = c.severity();
  return result;
}

const v1::CareRule* Rule(const google::protobuf::RepeatedPtrField<v1::CareRule>& rules,
                         std::string_view code) {
  for (const auto& r : rules) {
    if (r.code() == code) return &r;
  }
  return nullptr;
}

std::vector<std::string> Codes(const google::protobuf::RepeatedPtrField<v1::CareRule>& rules) {
  std::vector<std::string> codes;
  for (const auto& r : rules) codes.push_back(r.code());
  return codes;
}

constexpr int kAbsolute = v1::CONTRAINDICATION_SEVERITY_ABSOLUTE;
constexpr int kRelative = v1::CONTRAINDICATION_SEVERITY_RELATIVE;

// 003 + 004: what every mesotherapy protocol must say and forbid.
void ExpectMesotherapyRules(const v1::Protocol& p) {
  auto contra = Contraindications(p);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_EPILEPSY], kAbsolute);               // 003
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT], kAbsolute);  // 003
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_ANTICOAGULANTS], kRelative);         // assumed
  EXPECT_TRUE(p.requires_physician());  // 003: only an experienced physician

  const v1::CareRule* caffeine = Rule(p.pre_care(), "no_caffeine");  // 004
  ASSERT_NE(caffeine, nullptr);
  EXPECT_EQ(caffeine->applies_when(), v1::CARE_CONDITION_ALWAYS);
  EXPECT_THAT(De(caffeine->text()),
              HasSubstr("Bitte verzichten Sie vor der Behandlung auf Koffein"));
  EXPECT_THAT(En(caffeine->text()), HasSubstr("caffeine"));

  const v1::CareRule* sweat = Rule(p.aftercare(), "no_sport_sauna_sun");  // 003
  ASSERT_NE(sweat, nullptr);
  EXPECT_EQ(sweat->applies_when(), v1::CARE_CONDITION_ALWAYS);
  EXPECT_EQ(sweat->duration().seconds(), 48 * kHour);
  for (const char* word : {"Sport", "Sauna", "Sonnenbad"}) {
    EXPECT_THAT(De(sweat->text()), HasSubstr(word));
  }
  for (const char* word : {"sport", "sauna", "sunbathing"}) {
    EXPECT_THAT(En(sweat->text()), HasSubstr(word));
  }

  const v1::CareRule* makeup = Rule(p.aftercare(), "no_makeup_after");  // 004
  ASSERT_NE(makeup, nullptr);
  EXPECT_EQ(makeup->applies_when(), v1::CARE_CONDITION_FACIAL_AREA_TREATED);
  EXPECT_THAT(De(makeup->text()), HasSubstr("Make-up"));
  EXPECT_THAT(En(makeup->text()), HasSubstr("make-up"));

  const v1::CareRule* arnica = Rule(p.aftercare(), "arnica_for_bruising");  // 004
  ASSERT_NE(arnica, nullptr);
  EXPECT_EQ(arnica->applies_when(), v1::CARE_CONDITION_BRUISING_RECORDED);
  EXPECT_THAT(De(arnica->text()), HasSubstr("Arnika"));
  EXPECT_THAT(De(arnica->text()), HasSubstr("Blutergüsse"));
  EXPECT_THAT(En(arnica->text()), HasSubstr("Arnica"));
  EXPECT_THAT(En(arnica->text()), HasSubstr("bruising"));
}

// Pre-care for every protocol with a facial area (assumed from 004).
void ExpectComeWithoutMakeup(const v1::Protocol& p) {
  const v1::CareRule* rule = Rule(p.pre_care(), "no_makeup_before");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->applies_when(), v1::CARE_CONDITION_FACIAL_AREA_TREATED);
  EXPECT_THAT(De(rule->text()), HasSubstr("ohne Make-up"));
  EXPECT_THAT(En(rule->text()), HasSubstr("without make-up"));
}

// Every patient-facing text of `p` in German and English.
void ExpectGermanAndEnglish(const v1::Protocol& p) {
  std::vector<std::pair<std::string, const v1::LocalizedText*>> texts = {
      {"display_name", &p.display_name()},
      {"description", &p.description()},
      {"side_effects_normal", &p.side_effects_normal()},
      {"when_to_call", &p.when_to_call()}};
  for (const auto& f : p.follow_ups()) texts.push_back({f.code(), &f.text()});
  for (const auto& r : p.pre_care()) texts.push_back({r.code(), &r.text()});
  for (const auto& r : p.aftercare()) texts.push_back({r.code(), &r.text()});
  for (const auto& c : p.contraindications()) {
    texts.push_back({v1::ContraindicationCode_Name(c.code()), &c.message()});
  }
  for (const auto& i : p.ingredients()) {
    texts.push_back({patient::v1::AllergySubstance_Name(i.substance()), &i.description()});
  }
  for (const auto& [name, text] : texts) {
    EXPECT_FALSE(De(*text).empty()) << p.source().catalog_key() << " " << name << " (de)";
    EXPECT_FALSE(En(*text).empty()) << p.source().catalog_key() << " " << name << " (en)";
    EXPECT_NE(De(*text), En(*text)) << p.source().catalog_key() << " " << name;
  }
}

TEST(CatalogTest, HasTheSixProtocolsOfTheSeedsUnderTheirDocumentedKeys) {
  std::vector<std::string> keys;
  for (const auto& e : BuiltInCatalog()) keys.push_back(e.key);
  EXPECT_THAT(keys, ElementsAre("mesotherapy_hydralift", "mesotherapy_body", "mesobotox",
                                "collagen_injection", "collagen_induction", "thread_lift"));
  EXPECT_EQ(FindCatalogEntry("botox_deluxe"), nullptr);
}

TEST(CatalogTest, EveryEntryIsValidBilingualAndNamesItsSource) {
  for (const auto& e : BuiltInCatalog()) {
    common::FieldViolations violations;
    ValidateProtocol(e.protocol, "protocol", violations);
    EXPECT_TRUE(violations.ToStatus().ok()) << e.key << ": " << violations.ToStatus();
    ExpectGermanAndEnglish(e.protocol);
    EXPECT_EQ(e.protocol.source().origin(), v1::PROTOCOL_ORIGIN_CATALOG);
    EXPECT_EQ(e.protocol.source().catalog_key(), e.key);
    EXPECT_EQ(e.protocol.source().catalog_revision(), kCatalogRevision);
    EXPECT_EQ(e.protocol.aftercare_check_in_offset().seconds(), 48 * kHour) << e.key;  // assumed
    EXPECT_TRUE(e.protocol.id().empty());
    EXPECT_EQ(e.protocol.version(), 0);
  }
}

// Seed 002 (+ 003, 004 for mesotherapy in general).
TEST(CatalogTest, MesotherapyHydralift) {
  const v1::Protocol& p = Entry("mesotherapy_hydralift");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_EQ(De(p.display_name()), "Mesotherapie Hydralift (Gesichtsstraffung)");
  EXPECT_EQ(En(p.display_name()), "Mesotherapy hydralift (facial firming)");
  EXPECT_THAT(Areas(p), ElementsAre(v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_NECK,
                                    v1::TREATMENT_AREA_DECOLLETE));
  EXPECT_EQ(p.session_duration().seconds(), 30 * kMinute);
  EXPECT_EQ(p.course_plan().session_count(), 3);
  EXPECT_EQ(p.course_plan().interval().seconds(), 7 * kDay);
  EXPECT_EQ(p.maintenance().interval_months(), 6);
  EXPECT_THAT(Ingredients(p), UnorderedElementsAre(patient::v1::ALLERGY_SUBSTANCE_HYALURONIC_ACID,
                                                   patient::v1::ALLERGY_SUBSTANCE_DMAE));
  EXPECT_EQ(De(p.ingredients(0).description()), "1 % Hyaluronsäure");
  EXPECT_EQ(En(p.ingredients(0).description()), "1 % hyaluronic acid");
  EXPECT_THAT(De(p.description()), HasSubstr("1 % Hyaluronsäure und DMAE"));
  EXPECT_THAT(En(p.description()), HasSubstr("1 % hyaluronic acid and DMAE"));
  // Lifting visible after the first session.
  EXPECT_THAT(De(p.description()), HasSubstr("schon nach der ersten Sitzung sichtbar"));
  EXPECT_THAT(En(p.description()), HasSubstr("visible right after the first session"));
  EXPECT_THAT(p.follow_ups(), IsEmpty());
  ExpectMesotherapyRules(p);
  ExpectComeWithoutMakeup(p);
}

// Seed 004.
TEST(CatalogTest, MesotherapyBody) {
  const v1::Protocol& p = Entry("mesotherapy_body");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_THAT(Areas(p), UnorderedElementsAre(v1::TREATMENT_AREA_THIGHS, v1::TREATMENT_AREA_BUTTOCKS,
                                             v1::TREATMENT_AREA_ABDOMEN, v1::TREATMENT_AREA_ARMS,
                                             v1::TREATMENT_AREA_HANDS, v1::TREATMENT_AREA_FACE,
                                             v1::TREATMENT_AREA_NECK));
  EXPECT_EQ(p.session_duration().seconds(), 30 * kMinute);  // assumed
  // The number of sessions depends on severity: individual.
  EXPECT_EQ(p.course_plan().session_count(), 0);
  EXPECT_GT(p.course_plan().interval().seconds(), 0);
  // Results often after two sessions; regular maintenance recommended.
  EXPECT_THAT(De(p.description()), HasSubstr("nach zwei Sitzungen Ergebnisse"));
  EXPECT_THAT(En(p.description()), HasSubstr("results after two sessions"));
  EXPECT_THAT(De(p.description()), HasSubstr("regelmäßige Auffrischungsbehandlungen"));
  EXPECT_TRUE(p.has_maintenance());
  EXPECT_EQ(p.maintenance().interval_months(), 6);  // assumed
  for (const char* word : {"Cellulite", "Dehnungsstreifen", "Akne"}) {
    EXPECT_THAT(De(p.description()), HasSubstr(word));
  }
  for (const char* word : {"cellulite", "stretch marks", "acne"}) {
    EXPECT_THAT(En(p.display_name()), HasSubstr(word));
  }
  EXPECT_THAT(Ingredients(p), UnorderedElementsAre(patient::v1::ALLERGY_SUBSTANCE_VITAMINS,
                                                   patient::v1::ALLERGY_SUBSTANCE_HOMEOPATHICS));
  ExpectMesotherapyRules(p);
  ExpectComeWithoutMakeup(p);
}

// Seed 003.
TEST(CatalogTest, Mesobotox) {
  const v1::Protocol& p = Entry("mesobotox");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_MESOBOTOX);
  EXPECT_THAT(Areas(p), UnorderedElementsAre(v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_NECK,
                                             v1::TREATMENT_AREA_DECOLLETE, v1::TREATMENT_AREA_HANDS,
                                             v1::TREATMENT_AREA_ARMPITS));
  EXPECT_THAT(Ingredients(p), ElementsAre(patient::v1::ALLERGY_SUBSTANCE_BOTULINUM_TOXIN));
  EXPECT_THAT(De(p.display_name()), HasSubstr("Schwitzen"));
  EXPECT_THAT(En(p.display_name()), HasSubstr("fine lines"));
  // One session is never enough: individual course.
  EXPECT_EQ(p.course_plan().session_count(), 0);
  EXPECT_THAT(De(p.description()), HasSubstr("Eine Sitzung allein reicht nicht aus"));
  EXPECT_THAT(En(p.description()), HasSubstr("One session alone is not enough"));
  EXPECT_EQ(p.session_duration().seconds(), 30 * kMinute);  // assumed
  EXPECT_EQ(p.maintenance().interval_months(), 6);          // assumed
  ExpectMesotherapyRules(p);
  ExpectComeWithoutMakeup(p);
}

// Seed 000.
TEST(CatalogTest, CollagenInjection) {
  const v1::Protocol& p = Entry("collagen_injection");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_COLLAGEN_INJECTION);
  EXPECT_THAT(Areas(p), ElementsAre(v1::TREATMENT_AREA_FACE));
  EXPECT_EQ(p.course_plan().session_count(), 1);
  EXPECT_EQ(p.session_duration().seconds(), 30 * kMinute);  // assumed
  // First effect within 24 h, better colour by day 7, lasts 12-18 months.
  EXPECT_THAT(De(p.description()), HasSubstr("innerhalb von 24 Stunden"));
  EXPECT_THAT(En(p.description()), HasSubstr("within 24 hours"));
  EXPECT_THAT(De(p.description()), HasSubstr("12 bis 18 Monate"));
  EXPECT_THAT(En(p.description()), HasSubstr("12 to 18 months"));
  ASSERT_EQ(p.follow_ups_size(), 1);
  EXPECT_EQ(p.follow_ups(0).code(), "day7_result_check");
  EXPECT_EQ(p.follow_ups(0).offset().seconds(), 7 * kDay);
  EXPECT_TRUE(p.follow_ups(0).requires_visit());
  EXPECT_THAT(De(p.follow_ups(0).text()), HasSubstr("sieben Tage"));
  EXPECT_THAT(En(p.follow_ups(0).text()), HasSubstr("Seven days"));
  EXPECT_EQ(p.maintenance().interval_months(), 12);  // recall at 12 of 12-18 months
  EXPECT_THAT(Ingredients(p), ElementsAre(patient::v1::ALLERGY_SUBSTANCE_COLLAGEN));
  auto contra = Contraindications(p);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_PREGNANCY], kAbsolute);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_BREASTFEEDING], kAbsolute);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_DIABETES], kAbsolute);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_CANCER_TREATMENT], kAbsolute);
  EXPECT_EQ(contra[v1::CONTRAINDICATION_CODE_ANTICOAGULANTS], kRelative);  // assumed
  // Normal side effects that pass by themselves within a few days.
  for (const char* word : {"Rötungen", "Brennen", "Schwellungen", "Stechen", "Juckreiz",
                           "empfindliche Haut", "innerhalb weniger Tage von selbst"}) {
    EXPECT_THAT(De(p.side_effects_normal()), HasSubstr(word));
  }
  for (const char* word : {"redness", "burning", "swelling", "stinging", "itching",
                           "sensitive skin", "go away by themselves within a few days"}) {
    EXPECT_THAT(En(p.side_effects_normal()), HasSubstr(word));
  }
  EXPECT_THAT(De(p.when_to_call()), HasSubstr("rufen Sie uns an"));
  EXPECT_THAT(En(p.when_to_call()), HasSubstr("call us"));
  // Not mesotherapy: no caffeine or sweating rules; make-up and arnica apply.
  EXPECT_EQ(Rule(p.pre_care(), "no_caffeine"), nullptr);
  EXPECT_EQ(Rule(p.aftercare(), "no_sport_sauna_sun"), nullptr);
  EXPECT_THAT(Codes(p.aftercare()), ElementsAre("no_makeup_after", "arnica_for_bruising"));
  ExpectComeWithoutMakeup(p);
}

// Seed 001.
TEST(CatalogTest, CollagenInductionTherapy) {
  const v1::Protocol& p = Entry("collagen_induction");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_COLLAGEN_INDUCTION);
  EXPECT_THAT(Areas(p),
              UnorderedElementsAre(v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_EYE_AREA,
                                   v1::TREATMENT_AREA_MOUTH_AREA, v1::TREATMENT_AREA_BODY_OTHER));
  EXPECT_EQ(p.course_plan().session_count(), 3);               // assumed
  EXPECT_EQ(p.course_plan().interval().seconds(), 28 * kDay);  // assumed
  EXPECT_EQ(p.session_duration().seconds(), 45 * kMinute);     // assumed
  // Little or no downtime, no UV sensitivity, all skin types, eyes and mouth.
  EXPECT_THAT(De(p.description()), HasSubstr("Ausfallzeit ist sehr kurz oder entfällt ganz"));
  EXPECT_THAT(En(p.description()), HasSubstr("little or no downtime"));
  EXPECT_THAT(De(p.description()), HasSubstr("nicht UV-empfindlich"));
  EXPECT_THAT(En(p.description()), HasSubstr("does not become sensitive to UV light"));
  EXPECT_THAT(De(p.description()), HasSubstr("Für alle Hauttypen geeignet"));
  EXPECT_THAT(En(p.description()), HasSubstr("Suitable for all skin types"));
  EXPECT_THAT(De(p.description()), HasSubstr("um Augen und Mund"));
  EXPECT_THAT(En(p.side_effects_normal()), HasSubstr("not make your skin sensitive to UV"));
  EXPECT_THAT(Ingredients(p), IsEmpty());
  EXPECT_FALSE(p.requires_physician());  // assumed
  ExpectComeWithoutMakeup(p);
}

// Seed 000.
TEST(CatalogTest, ThreadLift) {
  const v1::Protocol& p = Entry("thread_lift");
  EXPECT_EQ(p.category(), v1::PROTOCOL_CATEGORY_THREAD_LIFT);
  EXPECT_THAT(Areas(p), UnorderedElementsAre(v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_JAWLINE,
                                             v1::TREATMENT_AREA_NECK));
  EXPECT_EQ(p.course_plan().session_count(), 1);
  EXPECT_EQ(p.session_duration().seconds(), 60 * kMinute);  // assumed
  EXPECT_EQ(p.maintenance().interval_months(), 12);         // assumed, 12-18 months
  EXPECT_THAT(De(p.description()), HasSubstr("auflösbare oder nicht auflösbare"));
  EXPECT_THAT(En(p.description()), HasSubstr("absorbable or non-absorbable"));
  EXPECT_THAT(De(p.description()), HasSubstr("Gesichtskontur"));
  EXPECT_THAT(En(p.description()), HasSubstr("face contour"));
  EXPECT_THAT(Ingredients(p), ElementsAre(patient::v1::ALLERGY_SUBSTANCE_POLYDIOXANONE));
  ExpectComeWithoutMakeup(p);
}

}  // namespace
}  // namespace dermaflow::protocol
