#include "services/patient/domain/text_folding.h"

#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

TEST(PatientFoldForSearchTest, IgnoresCaseAndAccents) {
  EXPECT_EQ(FoldForSearch("Müller"), "muller");
  EXPECT_EQ(FoldForSearch("MÜLLER"), "muller");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
  EXPECT_EQ(FoldForSearch("Ångström-Ñúñez"), "angstrom-nunez");
  EXPECT_EQ(FoldForSearch("Łukasz Żółć"), "lukasz zolc");
  EXPECT_EQ(FoldForSearch("Œuvre Ørsted"), "oeuvre orsted");
}

TEST(PatientFoldForSearchTest, KeepsWhatItCannotFold) {
  EXPECT_EQ(FoldForSearch("Иванова"), "Иванова");
  EXPECT_EQ(FoldForSearch("2×3"), "2×3");
  EXPECT_EQ(FoldForSearch("o'neil-smith"), "o'neil-smith");
}

TEST(PatientUtf8Test, AcceptsUtf8AndRejectsBrokenUtf8) {
  EXPECT_TRUE(IsValidUtf8("Anna"));
  EXPECT_TRUE(IsValidUtf8("Müller"));
  EXPECT_TRUE(IsValidUtf8("😀"));
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // cut
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(PatientTextHelpersTest, ControlCharactersAndTrimming) {
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharacter("a\x7f"));
  EXPECT_FALSE(HasControlCharacter("Anna-Lena O'Brien"));
  EXPECT_EQ(TrimSpaces("  Anna \t"), "Anna");
  EXPECT_EQ(TrimSpaces("   "), "");
}

}  // namespace
}  // namespace dermaflow::patient
