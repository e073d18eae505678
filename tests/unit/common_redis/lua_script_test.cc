#include "common/redis/lua_script.h"

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(RedisLuaScriptTest, Sha1MatchesWhatRedisComputes) {
  // `echo -n "return 1" | sha1sum`, the SHA1 SCRIPT LOAD returns.
  LuaScript script("one", "return 1");
  EXPECT_EQ(script.sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(script.name(), "one");
  EXPECT_EQ(script.source(), "return 1");
}

TEST(RedisLuaScriptTest, Sha1OfEmptyInput) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

}  // namespace
}  // namespace dermaflow::common
