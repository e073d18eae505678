// CachingProtocolStore over RedisProtocolStore and a real redis-server: a
// version is read from Redis once and then served from memory (shown by
// removing it from Redis behind the cache's back), while "latest", writes and
// errors always reach Redis.
#include "services/protocol/store/caching_protocol_store.h"

#include "common/redis/keys.h"
#include "common/redis/redis_options.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/protocol_versions.h"
#include "services/protocol/store/redis_protocol_store.h"
#include "tests/support/redis_server.h"

namespace dermaflow::protocol {
namespace {

class CachingProtocolStoreTest : public ::testing::Test {
 protected:
  CachingProtocolStoreTest()
      : redis_(*common::ParseRedisUrl(server_.url())), redis_store_(redis_), store_(redis_store_) {}

  v1::Protocol Version(int64_t version) {
    const CatalogEntry* e = FindCatalogEntry("mesobotox");
    v1::Protocol p = FirstVersion(e->protocol, "p1", e->protocol.source(),
                                  {absl::FromUnixSeconds(1'800'000'000), "t"});
    p.set_version(version);
    p.set_etag(EtagForVersion(version));
    return p;
  }
  // Removes the protocol from Redis without telling the cache.
  void DeleteBehindTheCache() {
    ASSERT_TRUE(redis_.Command({"DEL", *common::TenantKey("org", "protocol", "p1")}).ok());
  }

  dermaflow::testing::RedisServer server_;
  common::RedisClient redis_;
  RedisProtocolStore redis_store_;
  CachingProtocolStore store_;
};

TEST_F(CachingProtocolStoreTest, AVersionIsReadOnceAndLatestAlways) {
  ASSERT_TRUE(store_.Create("org", Version(1), "req", "fp").ok());
  ASSERT_TRUE(store_.AddVersion("org", Version(2)).ok());
  EXPECT_EQ(store_.Get("org", "p1", 1)->version(), 1);
  EXPECT_EQ(store_.Get("org", "p1", 0)->version(), 2);  // writes and latest pass through

  DeleteBehindTheCache();
  EXPECT_EQ(store_.Get("org", "p1", 1)->version(), 1);  // kept
  EXPECT_TRUE(absl::IsNotFound(store_.Get("org", "p1", 0).status()));
  EXPECT_TRUE(absl::IsNotFound(store_.Get("org", "p1", 2).status()));  // never read
  EXPECT_TRUE(absl::IsNotFound(store_.Get("other", "p1", 1).status()));
}

TEST_F(CachingProtocolStoreTest, KeepsNoErrors) {
  EXPECT_TRUE(absl::IsNotFound(store_.Get("org", "p1", 1).status()));
  ASSERT_TRUE(store_.Create("org", Version(1), "req", "fp").ok());
  EXPECT_EQ(store_.Get("org", "p1", 1)->version(), 1);
}

TEST_F(CachingProtocolStoreTest, AFullCacheStartsOver) {
  CachingProtocolStore small(redis_store_, /*max_cached=*/1);
  ASSERT_TRUE(small.Create("org", Version(1), "req", "fp").ok());
  ASSERT_TRUE(small.AddVersion("org", Version(2)).ok());
  ASSERT_TRUE(small.Get("org", "p1", 1).ok());
  ASSERT_TRUE(small.Get("org", "p1", 2).ok());  // starts over, keeps only version 2
  DeleteBehindTheCache();
  EXPECT_EQ(small.Get("org", "p1", 2)->version(), 2);
  EXPECT_TRUE(absl::IsNotFound(small.Get("org", "p1", 1).status()));
}

}  // namespace
}  // namespace dermaflow::protocol
