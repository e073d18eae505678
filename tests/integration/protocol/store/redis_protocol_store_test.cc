// RedisProtocolStore against a real redis-server: the script outcomes the
// handlers cannot easily provoke (a protocol vanishing or changing between
// read and write) and the key layout docs/protocol.md promises.
#include "services/protocol/store/redis_protocol_store.h"

#include "common/redis/keys.h"
#include "common/redis/redis_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/protocol_errors.h"
#include "services/protocol/domain/protocol_versions.h"
#include "tests/support/redis_server.h"

namespace dermaflow::protocol {
namespace {

using ::testing::UnorderedElementsAre;

class RedisProtocolStoreTest : public ::testing::Test {
 protected:
  RedisProtocolStoreTest() : redis_(*common::ParseRedisUrl(server_.url())), store_(redis_) {}

  v1::Protocol Version(int64_t version, const std::string& id = "p1") {
    const CatalogEntry* e = FindCatalogEntry("mesobotox");
    v1::Protocol p = FirstVersion(e->protocol, id, e->protocol.source(),
                                  {absl::FromUnixSeconds(1'800'000'000), "t"});
    p.set_version(version);
    p.set_etag(EtagForVersion(version));
    return p;
  }

  dermaflow::testing::RedisServer server_;
  common::RedisClient redis_;
  RedisProtocolStore store_;
};

TEST_F(RedisProtocolStoreTest, AddVersionToUnknownProtocolIsNotFound) {
  absl::Status s = store_.AddVersion("org", Version(2, "ghost"));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_EQ(GetErrorInfo(s)->reason(), "NOT_FOUND");
  EXPECT_EQ(common::GetResourceInfo(s)->resource_name(), "ghost");
}

TEST_F(RedisProtocolStoreTest, AddVersionChecksTheLatestAtomically) {
  ASSERT_TRUE(store_.Create("org", Version(1), "req", "fp").ok());
  ASSERT_TRUE(store_.AddVersion("org", Version(2)).ok());
  absl::Status stale = store_.AddVersion("org", Version(2));
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  EXPECT_EQ(GetErrorInfo(stale)->metadata().at("latest_version"), "2");
  EXPECT_EQ(store_.Get("org", "p1", 0)->version(), 2);
  EXPECT_EQ(store_.Get("org", "p1", 1)->version(), 1);
}

TEST_F(RedisProtocolStoreTest, KeysLiveInTheTenantsHashSlot) {
  ASSERT_TRUE(store_.Create("org", Version(1), "req", "fp").ok());
  ASSERT_TRUE(store_.Seed("org", {Version(1, "c1")}, kCatalogRevision).ok());
  auto keys = redis_.Command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok());
  std::vector<std::string> names;
  for (const auto& k : keys->elements()) names.push_back(k.str());
  EXPECT_THAT(names, UnorderedElementsAre("df:{org}:protocol:p1", "df:{org}:protocol:c1",
                                          "df:{org}:protocols", "df:{org}:protocol_catalog",
                                          "df:{org}:protocol_catalog_revision",
                                          "df:{org}:protocol_request:" + common::Sha1Hex("req")));
  EXPECT_EQ(*store_.SeededRevision("org"), kCatalogRevision);
  EXPECT_EQ(*store_.SeededRevision("other"), 0);
}

}  // namespace
}  // namespace dermaflow::protocol
