// The idempotency key every attempt of a reminder carries: stable, apart for
// every other reminder and organization, pinned to its documented form.
#include "services/notification/domain/idempotency_key.h"

#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

TEST(IdempotencyKeyTest, IsStablePerReminderAndOrganization) {
  EXPECT_EQ(IdempotencyKey("demo", "a1b2c3d4e5f60718"), IdempotencyKey("demo", "a1b2c3d4e5f60718"));
  // SHA-256 of "send/v1|4:demo|16:a1b2c3d4e5f60718", first 128 bits (docs/notification.md).
  EXPECT_EQ(IdempotencyKey("demo", "a1b2c3d4e5f60718"), "df1-3736edd59fc7dc623de4fb84660469e7");
}

TEST(IdempotencyKeyTest, DiffersForAnotherReminderOrOrganization) {
  const std::string key = IdempotencyKey("demo", "a1b2c3d4e5f60718");
  EXPECT_NE(key, IdempotencyKey("demo", "a1b2c3d4e5f60719"));
  // Two chains sharing an SMS provider: the same reminder id stays apart.
  EXPECT_NE(key, IdempotencyKey("other-chain", "a1b2c3d4e5f60718"));
  // Length prefixes: moving a character between the parts changes the key.
  EXPECT_NE(IdempotencyKey("ab", "c"), IdempotencyKey("a", "bc"));
}

TEST(IdempotencyKeyTest, IsShortLowerCaseHexWithAPrefix) {
  const std::string key = IdempotencyKey("demo", "0123456789abcdef");
  ASSERT_EQ(key.size(), 36u);
  EXPECT_EQ(key.substr(0, 4), "df1-");
  for (char c : key.substr(4)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
}

}  // namespace
}  // namespace dermaflow::notification
