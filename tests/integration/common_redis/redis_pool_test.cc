// The pool under stress: Redis restarts, stale connections, 8 threads, and a
// pool that is all in use.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kBackoffMax = absl::Milliseconds(100);

class RedisPoolTest : public ::testing::Test {
 protected:
  RedisOptions Options() {
    RedisOptions options = ParseRedisUrl(redis_.url()).value();
    options.reconnect_backoff_initial = absl::Milliseconds(10);
    options.reconnect_backoff_max = kBackoffMax;
    return options;
  }

  // Makes the pool open all of its connections: each thread holds one for
  // 200ms inside BLPOP, so none can be reused by another.
  static void FillPool(RedisClient& client) {
    std::vector<std::thread> threads;
    for (int i = 0; i < client.options().pool_size; ++i) {
      threads.emplace_back([&client] {
        EXPECT_TRUE(client.Command({"BLPOP", "never", "0.2"}, absl::Seconds(2)).ok());
      });
    }
    for (std::thread& t : threads) t.join();
  }

  static int ConnectedClients(RedisClient& client) {
    std::string info = client.Command({"INFO", "clients"})->AsString().value();
    for (absl::string_view line : absl::StrSplit(info, "\r\n")) {
      if (absl::ConsumePrefix(&line, "connected_clients:")) {
        int n = 0;
        if (absl::SimpleAtoi(line, &n)) return n;
      }
    }
    return -1;
  }

  dermaflow::testing::RedisServer redis_;
};

TEST_F(RedisPoolTest, RecoversAfterRedisRestart) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Command({"SET", "before", "1"}).ok());

  redis_.Stop();
  absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> during = client.Command({"GET", "before"});
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable) << during.status();
  // Refused connects fail at once; the backoff keeps the next ones instant.
  EXPECT_EQ(client.Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));

  redis_.Start();
  // Past the longest backoff the next command must reconnect and succeed.
  absl::SleepFor(kBackoffMax);
  absl::StatusOr<RedisReply> after = client.Command({"GET", "before"});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->AsString().value(), "1");  // AOF kept it
}

TEST_F(RedisPoolTest, StaleIdleConnectionsAreReplacedNotFailed) {
  RedisClient client(Options());
  FillPool(client);
  // A connection closed just before (the harness's readiness PING) may still
  // be counted for a moment.
  int clients = 0;
  for (int i = 0; i < 100 && (clients = ConnectedClients(client)) != client.options().pool_size;
       ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(clients, client.options().pool_size);

  // Nothing runs during the outage, so all 8 pooled sockets are stale.
  redis_.Stop();
  redis_.Start();
  for (int i = 0; i < 2 * client.options().pool_size; ++i) {
    absl::Status status = client.Ping();
    ASSERT_TRUE(status.ok()) << "command " << i << ": " << status;
  }
}

TEST_F(RedisPoolTest, KilledRedisIsUnavailableThenRecovers) {
  RedisClient client(Options());
  ASSERT_TRUE(client.Ping().ok());
  redis_.Kill();
  EXPECT_EQ(client.Ping().code(), absl::StatusCode::kUnavailable);
  redis_.Start();
  absl::SleepFor(kBackoffMax);
  EXPECT_TRUE(client.Ping().ok());
}

TEST_F(RedisPoolTest, EightThreadsShareThePool) {
  RedisClient client(Options());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&client, &failures, t] {
      const std::string own = "thread:" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        if (!client.Command({"INCR", "shared"}).ok()) ++failures;
        const std::string value = std::to_string(i);
        absl::StatusOr<std::vector<RedisReply>> replies =
            client.Pipeline({{"SET", own, value}, {"GET", own}});
        if (!replies.ok() || (*replies)[1].str() != value) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(client.Command({"GET", "shared"})->AsInt().value(), kThreads * kPerThread);
  EXPECT_LE(ConnectedClients(client), client.options().pool_size);
}

TEST_F(RedisPoolTest, CallerWaitsForABusyPoolThenGivesUp) {
  RedisOptions options = Options();
  options.pool_size = 1;
  options.command_timeout = absl::Milliseconds(300);
  RedisClient client(options);
  RedisClient observer(Options());

  std::thread holder([&client] {
    EXPECT_TRUE(client.Command({"BLPOP", "never", "1"}, absl::Seconds(3)).ok());
  });
  // Wait (bounded) until the holder's BLPOP is really inside Redis.
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    std::string info = observer.Command({"INFO", "clients"})->AsString().value();
    if (info.find("blocked_clients:1") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::Time start = absl::Now();
  absl::Status status = client.Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("busy"));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(250));
  holder.join();
  EXPECT_TRUE(client.Ping().ok());
}

}  // namespace
}  // namespace dermaflow::common
