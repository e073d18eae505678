#include "common/logging/log.h"

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(LogTest, OneJsonObjectPerLineWithEscapes) {
  std::string line = FormatLogLine(LogLevel::kWarning, "patient", "bad \"quote\"\nnext",
                                   {{"patient_id", "p\\1"}}, "2026-11-22T10:00:00.000Z");
  EXPECT_EQ(line, R"({"time":"2026-11-22T10:00:00.000Z","level":"warning","service":"patient",)"
                  R"("message":"bad \"quote\"\nnext","patient_id":"p\\1"})");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogTest, ControlCharactersAreEscaped) { EXPECT_EQ(JsonEscape("\x01"), "\\u0001"); }

TEST(LogTest, ParsesLevels) {
  LogLevel level;
  EXPECT_TRUE(ParseLogLevel("debug", &level));
  EXPECT_EQ(level, LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("verbose", &level));
}

}  // namespace
}  // namespace dermaflow::common
