// RedisClient in Sentinel mode (redis+sentinel://) against a real Sentinel
// setup on loopback (tests/support/redis_sentinel.h): it finds the primary,
// follows a fail-over by itself — announced or after a crash — and says
// which master it could not find.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/redis_sentinel.h"

namespace dermaflow::common {
namespace {

using ::dermaflow::testing::RedisCli;
using ::dermaflow::testing::RedisSentinelSetup;
using ::testing::HasSubstr;

class CountingMetrics : public RedisMetrics {
 public:
  void OnPrimarySwitch() override { ++switches; }
  void OnPrimariesChecked(const std::vector<RedisNodeHealth>& primaries) override {
    std::lock_guard<std::mutex> lock(mu);
    checked = primaries;
  }
  std::vector<RedisNodeHealth> last_checked() {
    std::lock_guard<std::mutex> lock(mu);
    return checked;
  }
  std::atomic<int> switches{0};
  std::mutex mu;
  std::vector<RedisNodeHealth> checked;
};

std::unique_ptr<RedisClient> Client(const std::string& url, RedisMetrics* metrics = nullptr) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl(url);
  EXPECT_TRUE(options.ok()) << options.status();
  options->connect_timeout = absl::Milliseconds(300);
  options->command_timeout = absl::Milliseconds(500);
  return std::make_unique<RedisClient>(*options, metrics);
}

// Retries SET until it succeeds (commands fail while a fail-over is under
// way); the time it took, or a failure after `limit`.
std::chrono::milliseconds SetUntilAccepted(RedisClient& redis, const std::string& key,
                                           std::chrono::seconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    if (redis.Command({"SET", key, "after"}).ok()) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no write accepted within " << limit.count() << " s";
  return std::chrono::milliseconds::max();
}

// Tests that leave the setup as they found it share one (it takes seconds
// for sentinels to find each other).
class RedisSentinelSharedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { setup_ = new RedisSentinelSetup(); }
  static void TearDownTestSuite() {
    delete setup_;
    setup_ = nullptr;
  }
  static RedisSentinelSetup* setup_;
};
RedisSentinelSetup* RedisSentinelSharedTest::setup_ = nullptr;

TEST_F(RedisSentinelSharedTest, WritesGoToThePrimaryTheSentinelsName) {
  auto redis = Client(setup_->url());
  ASSERT_TRUE(redis->Command({"SET", "df:{org1}:k", "v"}).ok());
  EXPECT_EQ(RedisCli(setup_->primary_port(), {"GET", "df:{org1}:k"}), "v");
  EXPECT_TRUE(redis->Ping().ok());
}

TEST_F(RedisSentinelSharedTest, ASentinelThatIsDownIsSkipped) {
  const int dead = dermaflow::testing::PickFreePort();
  const std::string url = setup_->url();
  auto redis = Client("redis+sentinel://127.0.0.1:" + std::to_string(dead) + "," +
                      url.substr(std::string("redis+sentinel://").size()));
  EXPECT_TRUE(redis->Command({"SET", "df:{org1}:k", "v"}).ok());
}

TEST_F(RedisSentinelSharedTest, AnUnknownMasterIsUnavailableNamingIt) {
  const std::string url = setup_->url();
  auto redis = Client(url.substr(0, url.rfind('/')) + "/nosuchmaster");
  absl::StatusOr<RedisReply> reply = redis->Command({"GET", "df:{org1}:k"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("nosuchmaster"));
}

TEST(RedisSentinelTest, FollowsAnAnnouncedFailover) {
  RedisSentinelSetup setup;
  CountingMetrics metrics;
  auto redis = Client(setup.url(), &metrics);
  ASSERT_TRUE(redis->Command({"SET", "df:{org1}:k", "before"}).ok());
  const auto start = std::chrono::steady_clock::now();
  setup.ForceFailover();
  // A write that reaches the old primary after Sentinel demoted it is
  // refused READONLY: UNAVAILABLE, retryable, never INTERNAL.
  for (int i = 0; i < 50 && metrics.switches.load() == 0; ++i) {
    absl::StatusOr<RedisReply> r = redis->Command({"SET", "df:{org1}:during", "x"});
    if (!r.ok()) EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Until Sentinel demotes the old primary it still takes writes (they are
  // lost with it: the window the durable-write option closes); the client
  // must move to the new primary by itself once +switch-master is announced.
  while (metrics.switches.load() == 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(metrics.switches.load(), 1);
  std::printf("client moved to the new primary %lld ms after SENTINEL FAILOVER\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count()));
  ASSERT_TRUE(redis->Command({"SET", "df:{org1}:k", "after"}).ok());
  const int promoted = setup.replica_ports()[0];
  EXPECT_EQ(RedisCli(promoted, {"ROLE"}).substr(0, 6), "master");
  EXPECT_EQ(RedisCli(promoted, {"GET", "df:{org1}:k"}), "after");
}

TEST(RedisSentinelTest, RecoversByItselfAfterThePrimaryCrashes) {
  RedisSentinelSetup setup;
  CountingMetrics metrics;
  auto redis = Client(setup.url(), &metrics);
  // Acknowledged by the replica before the crash (WAIT on the write's own
  // connection), so the fail-over keeps it.
  absl::StatusOr<std::vector<RedisReply>> kept =
      redis->Pipeline({{"SET", "df:{org1}:kept", "yes"}, {"WAIT", "1", "2000"}});
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ((*kept)[1].integer(), 1);
  const auto crash = std::chrono::steady_clock::now();
  const std::string old_primary = absl::StrCat("127.0.0.1:", setup.primary_port());
  setup.KillPrimary();
  EXPECT_FALSE(redis->Ping().ok());  // health says so until the fail-over is done
  // Per node: the primary in use, down (named until the sentinels name another).
  std::vector<RedisNodeHealth> down = metrics.last_checked();
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].node, old_primary);
  EXPECT_FALSE(down[0].up);
  const auto took = SetUntilAccepted(*redis, "df:{org1}:k", std::chrono::seconds(30));
  std::printf("first write accepted %lld ms after SIGKILL of the primary\n",
              static_cast<long long>(took.count()));
  EXPECT_LT(std::chrono::steady_clock::now() - crash, std::chrono::seconds(30));
  absl::StatusOr<RedisReply> read = redis->Command({"GET", "df:{org1}:kept"});
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->str(), "yes");
  EXPECT_TRUE(redis->Ping().ok());
  // The promoted replica, up; the old primary's series would be gone.
  std::vector<RedisNodeHealth> up = metrics.last_checked();
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].node, absl::StrCat("127.0.0.1:", setup.replica_ports()[0]));
  EXPECT_TRUE(up[0].up);
}

}  // namespace
}  // namespace dermaflow::common
