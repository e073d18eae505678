// Translation fallback: exact locale, its language, English, the first one.
#include "services/protocol/domain/localized_text.h"

#include "gtest/gtest.h"

namespace dermaflow::protocol {
namespace {

TEST(LocalizedTextTest, FallsBackFromLocaleToLanguageToEnglishToFirst) {
  auto text = MakeText({{"fr", "Bonjour"}, {"de", "Hallo"}, {"de-AT", "Servus"}, {"en", "Hello"}});
  EXPECT_EQ(Localize(text, "de-AT"), "Servus");
  EXPECT_EQ(Localize(text, "de-at"), "Servus");
  EXPECT_EQ(Localize(text, "de-CH"), "Hallo");
  EXPECT_EQ(Localize(text, "it"), "Hello");
  EXPECT_EQ(Localize(text, ""), "Hello");
  EXPECT_EQ(Localize(MakeText({{"fr", "Bonjour"}}), "de"), "Bonjour");
  EXPECT_EQ(Localize(v1::LocalizedText(), "de"), "");
  EXPECT_EQ(PickTranslation(v1::LocalizedText(), "de"), nullptr);
}

TEST(LocalizedTextTest, LanguageOfATag) {
  EXPECT_EQ(LanguageOf("de-AT"), "de");
  EXPECT_EQ(LanguageOf("EN_gb"), "en");
  EXPECT_EQ(LanguageOf("de"), "de");
  EXPECT_EQ(LanguageOf(""), "");
}

}  // namespace
}  // namespace dermaflow::protocol
