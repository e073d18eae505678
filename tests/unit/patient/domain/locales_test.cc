#include "services/patient/domain/locales.h"

#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

TEST(PatientCanonicalLocaleTest, SupportedLanguagesWithOptionalRegion) {
  EXPECT_EQ(CanonicalLocale("de"), "de");
  EXPECT_EQ(CanonicalLocale("EN"), "en");
  EXPECT_EQ(CanonicalLocale("de-at"), "de-AT");
  EXPECT_EQ(CanonicalLocale("en-419"), "en-419");
}

TEST(PatientCanonicalLocaleTest, RefusesUnsupportedOrMalformedTags) {
  EXPECT_FALSE(CanonicalLocale("fr"));
  EXPECT_FALSE(CanonicalLocale(""));
  EXPECT_FALSE(CanonicalLocale("de-"));
  EXPECT_FALSE(CanonicalLocale("de-Latn"));
  EXPECT_FALSE(CanonicalLocale("de-AT-x"));
  EXPECT_FALSE(CanonicalLocale("deu"));
}

TEST(PatientCanonicalLocaleTest, TheTableHasGermanAndEnglish) {
  EXPECT_EQ(SupportedLanguages(), (std::vector<std::string_view>{"de", "en"}));
}

}  // namespace
}  // namespace dermaflow::patient
