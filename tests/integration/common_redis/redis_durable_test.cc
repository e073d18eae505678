// Durable writes (RedisOptions::durable_replicas, Eval with
// Durability::kReplicated) against a real primary and replica on loopback:
// acknowledged only once the replica has the write, UNAVAILABLE naming the
// shortfall when it cannot confirm in time, and nothing waited for when
// the option is off or the write is not marked durable.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/redis/durability.h"
#include "common/redis/redis_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/common_redis/lua/add_and_get_lua.h"
#include "tests/support/process.h"
#include "tests/support/redis_sentinel.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using ::dermaflow::testing::RedisCli;
using ::testing::HasSubstr;

class CountingMetrics : public RedisMetrics {
 public:
  void OnDurableWrite(bool acknowledged) override { ++(acknowledged ? acked : not_acked); }
  std::atomic<int> acked{0}, not_acked{0};
};

class RedisDurableTest : public ::testing::Test {
 protected:
  RedisDurableTest() : replica_port_(dermaflow::testing::PickFreePort()) {
    // Redis waits 5 s for more replicas before a diskless sync by default.
    RedisCli(primary_.port(), {"CONFIG", "SET", "repl-diskless-sync-delay", "0"});
    std::filesystem::create_directories(dir_.path() + "/replica");
    replica_ = dermaflow::testing::StartServerProcess(
        {"redis-server", "--port", std::to_string(replica_port_), "--bind", "127.0.0.1", "--dir",
         dir_.path() + "/replica", "--save", "", "--replicaof", "127.0.0.1",
         std::to_string(primary_.port())},
        dir_.path() + "/replica.log", replica_port_, "replica");
    // Synced once a write is confirmed by the replica. "online" is not
    // enough: after a diskless sync the primary streams writes to the
    // replica only from its first REPLCONF ACK (sent once a second).
    RedisClient probe(ParseRedisUrl(primary_.url()).value());
    auto confirmed = [&] {
      auto r = probe.Pipeline({{"SET", "df:{probe}:synced", "1"}, {"WAIT", "1", "100"}});
      return r.ok() && (*r)[1].integer() == 1;
    };
    // Until a deadline, not a count: WAIT answers at once while no replica
    // is attached, and a loaded machine may take seconds to attach one.
    const absl::Time deadline = absl::Now() + absl::Seconds(15);
    while (!confirmed() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
    if (!confirmed()) throw std::runtime_error("the replica did not sync: " + replica_->ReadLog());
  }
  ~RedisDurableTest() override { dermaflow::testing::StopServerProcess(replica_.get()); }

  std::unique_ptr<RedisClient> Client(int durable_replicas) {
    RedisOptions options = ParseRedisUrl(primary_.url()).value();
    options.durable_replicas = durable_replicas;
    options.durable_timeout = absl::Milliseconds(300);
    return std::make_unique<RedisClient>(options, &metrics_);
  }

  dermaflow::testing::RedisServer primary_;
  dermaflow::testing::TempDir dir_;
  int replica_port_;
  std::unique_ptr<dermaflow::testing::ChildProcess> replica_;
  CountingMetrics metrics_;
};

const LuaScript& Script() { return testing_lua::AddAndGetScript(); }

TEST_F(RedisDurableTest, ADurableWriteIsOnTheReplicaWhenAcknowledged) {
  auto redis = Client(1);
  absl::StatusOr<RedisReply> reply =
      redis->Eval(Script(), {"df:{org1}:n"}, {"5"}, Durability::kReplicated);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->integer(), 5);  // the script's reply, not WAIT's
  // No waiting here: WAIT already saw the replica take it.
  EXPECT_EQ(RedisCli(replica_port_, {"GET", "df:{org1}:n"}), "5");
  EXPECT_EQ(metrics_.acked.load(), 1);
}

TEST_F(RedisDurableTest, AWriteTheReplicasCannotConfirmIsUnavailableNamingTheShortfall) {
  auto redis = Client(1);
  replica_->Signal(SIGSTOP);  // alive but silent, as behind a partition
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<RedisReply> reply =
      redis->Eval(Script(), {"df:{org1}:n"}, {"5"}, Durability::kReplicated);
  replica_->Signal(SIGCONT);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("reached 0 of 1 replicas"));
  EXPECT_TRUE(IsNotReplicated(reply.status()));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
  EXPECT_EQ(metrics_.not_acked.load(), 1);
  // It did run on the primary: callers retry only idempotent writes.
  EXPECT_EQ(redis->Command({"GET", "df:{org1}:n"})->str(), "5");
}

TEST_F(RedisDurableTest, AWriteFoundRatherThanMadeIsConfirmedBeforeItIsAnswered) {
  // Another connection wrote it (a first attempt whose answer was lost); the
  // retry only finds it, and must not answer before a replica has it.
  auto plain = Client(0);
  auto durable = Client(1);
  replica_->Signal(SIGSTOP);
  ASSERT_TRUE(plain->Command({"SET", "df:{org1}:request", "booked"}).ok());
  const absl::Status unconfirmed = durable->ConfirmReplicated("df:{org1}:request");
  replica_->Signal(SIGCONT);
  EXPECT_EQ(unconfirmed.code(), absl::StatusCode::kUnavailable) << unconfirmed;
  EXPECT_TRUE(IsNotReplicated(unconfirmed));
  // The replica, woken, catches up; on a loaded machine that can outlast one
  // 300 ms wait, so the retry is retried as a client would.
  absl::Status confirmed = durable->ConfirmReplicated("df:{org1}:request");
  for (int i = 0; i < 20 && !confirmed.ok(); ++i) {
    confirmed = durable->ConfirmReplicated("df:{org1}:request");
  }
  EXPECT_TRUE(confirmed.ok()) << confirmed;
  EXPECT_EQ(RedisCli(replica_port_, {"GET", "df:{org1}:request"}), "booked");
  EXPECT_TRUE(Client(0)->ConfirmReplicated("df:{org1}:request").ok());  // off: no wait
}

TEST_F(RedisDurableTest, OnlyWritesMarkedDurableWaitAndOnlyWhenTheOptionIsOn) {
  replica_->Signal(SIGSTOP);
  auto durable = Client(1);
  EXPECT_TRUE(durable->Eval(Script(), {"df:{org1}:n"}, {"1"}).ok());  // not marked
  auto off = Client(0);
  EXPECT_TRUE(off->Eval(Script(), {"df:{org1}:n"}, {"1"}, Durability::kReplicated).ok());
  replica_->Signal(SIGCONT);
  EXPECT_EQ(metrics_.acked.load() + metrics_.not_acked.load(), 0);
}

TEST_F(RedisDurableTest, TheWaitFollowsTheScriptAfterNoscript) {
  auto redis = Client(1);
  ASSERT_TRUE(redis->Command({"SCRIPT", "FLUSH"}).ok());
  absl::StatusOr<RedisReply> reply =
      redis->Eval(Script(), {"df:{org1}:n"}, {"7"}, Durability::kReplicated);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->integer(), 7);
  EXPECT_EQ(metrics_.acked.load(), 1);
}

}  // namespace
}  // namespace dermaflow::common
