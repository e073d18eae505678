#include "common/redis/keys.h"

#include <string>

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(RedisKeysTest, TenantKeyCarriesOrgAsHashTag) {
  absl::StatusOr<std::string> key = TenantKey("acme-clinics", "patient", "p-123");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "df:{acme-clinics}:patient:p-123");
}

TEST(RedisKeysTest, TenantKeyTakesStringsViewsAndNumbers) {
  std::string kind = "course";
  std::string_view id = "c_9";
  absl::StatusOr<std::string> key = TenantKey("Org_1", kind, id, 42, int64_t{-7});
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "df:{Org_1}:course:c_9:42:-7");
}

TEST(RedisKeysTest, TenantKeyPrefix) { EXPECT_EQ(TenantKeyPrefix("acme").value(), "df:{acme}:"); }

TEST(RedisKeysTest, GlobalKey) {
  EXPECT_EQ(GlobalKey("orgs"), "df:orgs");
  EXPECT_EQ(GlobalKey("migrations", 3), "df:migrations:3");
}

TEST(RedisKeysTest, OrgIdsThatCouldEscapeTheHashTagAreRejected) {
  const std::string_view bads[] = {"",
                                   "a}b",
                                   "{a",
                                   "a:b",
                                   "a b",
                                   "a/b",
                                   "ümlaut",
                                   "a\nb",
                                   "a*",
                                   "a?",
                                   std::string_view("a\0b", 3)};
  for (std::string_view bad : bads) {
    absl::StatusOr<std::string> key = TenantKey(bad, "patient", "p1");
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << "org: " << bad;
    EXPECT_EQ(ValidateOrgId(bad).code(), absl::StatusCode::kInvalidArgument) << "org: " << bad;
  }
}

TEST(RedisKeysTest, OrgIdLengthLimit) {
  EXPECT_TRUE(ValidateOrgId(std::string(kMaxOrgIdLength, 'a')).ok());
  EXPECT_EQ(ValidateOrgId(std::string(kMaxOrgIdLength + 1, 'a')).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RedisKeysTest, PartsMustBeNonEmptyAndColonFree) {
  EXPECT_EQ(TenantKey("acme", "patient", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TenantKey("acme", "patient", "a:b").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TenantKey("acme").status().code(), absl::StatusCode::kInvalidArgument);
  // Braces after the hash tag are harmless: Redis only hashes the first {...}.
  EXPECT_EQ(TenantKey("acme", "x{y}").value(), "df:{acme}:x{y}");
}

}  // namespace
}  // namespace dermaflow::common
