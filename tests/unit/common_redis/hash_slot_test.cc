// Hash slots against the values Redis documents (cluster spec, CLUSTER
// KEYSLOT); the cluster integration test checks many more against a server.
#include "common/redis/hash_slot.h"

#include "common/redis/keys.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(HashSlotTest, Crc16IsTheXmodemVariantRedisSpecifies) {
  // The cluster spec's check value: CRC16 of "123456789" is 0x31C3.
  EXPECT_EQ(Crc16Xmodem("123456789"), 0x31C3);
  EXPECT_EQ(Crc16Xmodem(""), 0);
}

TEST(HashSlotTest, DocumentedSlots) {
  EXPECT_EQ(KeyHashSlot("foo"), 12182);
  EXPECT_EQ(KeyHashSlot("somekey"), 11058);  // CLUSTER KEYSLOT docs
  EXPECT_EQ(KeyHashSlot("foo{hash_tag}"), 2515);
  EXPECT_EQ(KeyHashSlot("bar{hash_tag}"), 2515);
}

TEST(HashSlotTest, HashTagRulesFromTheClusterSpec) {
  EXPECT_EQ(KeyHashSlot("{user1000}.following"), KeyHashSlot("{user1000}.followers"));
  EXPECT_EQ(KeyHashSlot("{user1000}.following"), KeyHashSlot("user1000"));
  EXPECT_EQ(KeyHashTag("foo{}{bar}"), "foo{}{bar}");  // empty first tag: whole key
  EXPECT_EQ(KeyHashTag("foo{{bar}}zap"), "{bar");     // up to the first '}'
  EXPECT_EQ(KeyHashTag("foo{bar}{zap}"), "bar");      // only the first tag counts
  EXPECT_EQ(KeyHashTag("no-tag"), "no-tag");
  EXPECT_EQ(KeyHashTag("open{only"), "open{only");
  EXPECT_EQ(KeyHashTag("}{x}"), "x");
}

TEST(HashSlotTest, EveryTenantKeyHashesByTheOrganizationOnly) {
  const int slot = KeyHashSlot("acme-clinics");
  EXPECT_EQ(KeyHashSlot(TenantKey("acme-clinics", "patient", "p-1").value()), slot);
  EXPECT_EQ(KeyHashSlot(TenantKey("acme-clinics", "events").value()), slot);
  EXPECT_EQ(KeyHashSlot(TenantKeyPrefix("acme-clinics").value() + "anything:else"), slot);
}

TEST(HashSlotTest, SlotsAreInRangeForBinaryKeys) {
  std::string key;
  for (int i = 0; i < 256; ++i) {
    key.push_back(static_cast<char>(i));
    const int slot = KeyHashSlot(key);
    EXPECT_GE(slot, 0);
    EXPECT_LT(slot, kRedisClusterSlots);
  }
}

}  // namespace
}  // namespace dermaflow::common
