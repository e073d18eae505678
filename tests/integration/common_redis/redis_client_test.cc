// RedisClient on one real redis-server: what every store relies on.
#include "common/redis/redis_client.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/redis/redis_options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/common_redis/lua/add_and_get_lua.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Counts what the client reports, as the prometheus layer would.
class RecordingMetrics : public RedisMetrics {
 public:
  void OnCommand(std::string_view command, absl::Duration, absl::StatusCode code) override {
    std::lock_guard<std::mutex> lock(mu_);
    commands_.push_back(std::string(command) + "=" + absl::StatusCodeToString(code));
  }
  void OnConnect(absl::StatusCode code) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++connects_[code];
  }
  std::vector<std::string> commands() {
    std::lock_guard<std::mutex> lock(mu_);
    return commands_;
  }
  int connects(absl::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    return connects_[code];
  }

 private:
  std::mutex mu_;
  std::vector<std::string> commands_;
  std::map<absl::StatusCode, int> connects_;
};

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClientTest() : client_(ParseRedisUrl(redis_.url()).value(), &metrics_) {}

  dermaflow::testing::RedisServer redis_;
  RecordingMetrics metrics_;
  RedisClient client_;
};

TEST_F(RedisClientTest, SetGetIncrAndNil) {
  ASSERT_TRUE(client_.Ping().ok());
  ASSERT_TRUE(client_.Command({"SET", "k", "v"}).ok());
  EXPECT_EQ(client_.Command({"GET", "k"})->AsString().value(), "v");
  EXPECT_TRUE(client_.Command({"GET", "missing"})->is_nil());
  EXPECT_EQ(client_.Command({"INCRBY", "n", "5"})->AsInt().value(), 5);
  absl::StatusOr<RedisReply> all = client_.Command({"HGETALL", "missing-hash"});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->is_array());
  EXPECT_TRUE(all->elements().empty());
}

TEST_F(RedisClientTest, KeysAndValuesAreBinarySafe) {
  const std::string key("bin\0key\r\n", 9);
  std::string value;
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<char>(i));
  value += std::string("\0\r\n$3\r\n*", 8);
  ASSERT_TRUE(client_.Command({"SET", key, value}).ok());
  EXPECT_EQ(client_.Command({"GET", key})->AsString().value(), value);
  EXPECT_EQ(client_.Command({"STRLEN", key})->AsInt().value(), static_cast<int64_t>(value.size()));
}

TEST_F(RedisClientTest, ErrorReplyIsInternalWithServerTextAndConnectionStaysUsable) {
  ASSERT_TRUE(client_.Command({"SET", "s", "not a number"}).ok());
  absl::StatusOr<RedisReply> reply = client_.Command({"INCR", "s"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("ERR value is not an integer"));
  EXPECT_TRUE(IsRedisError(reply.status(), "ERR"));
  EXPECT_TRUE(client_.Ping().ok());
  EXPECT_EQ(metrics_.connects(absl::StatusCode::kOk), 1)
      << "error replies must not drop connections";
}

TEST_F(RedisClientTest, CreateChecksOptionsThenWorks) {
  RedisOptions options = ParseRedisUrl(redis_.url()).value();
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_TRUE((*client)->Ping().ok());
  options.pool_size = 0;
  EXPECT_EQ(RedisClient::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, EmptyCommandIsInvalidArgument) {
  EXPECT_EQ(client_.Command({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, PipelineReturnsOneReplyPerCommandWithErrorsInPlace) {
  absl::StatusOr<std::vector<RedisReply>> replies = client_.Pipeline({
      {"SET", "p", "1"},
      {"INCR", "p"},
      {"HSET", "p", "f", "v"},  // WRONGTYPE, but the rest still runs
      {"GET", "p"},
      {"GET", "nothing"},
  });
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 5u);
  EXPECT_EQ((*replies)[0].str(), "OK");
  EXPECT_EQ((*replies)[1].integer(), 2);
  EXPECT_TRUE((*replies)[2].is_error());
  EXPECT_TRUE(IsRedisError((*replies)[2].ToStatus(), "WRONGTYPE"));
  EXPECT_EQ((*replies)[3].AsString().value(), "2");
  EXPECT_TRUE((*replies)[4].is_nil());
  EXPECT_TRUE(client_.Pipeline({})->empty());
}

TEST_F(RedisClientTest, EvalFallsBackToEvalAfterScriptFlush) {
  LuaScript script("set_and_get",
                   "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])");
  absl::StatusOr<RedisReply> first = client_.Eval(script, {"e"}, {"one"});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->AsString().value(), "one");
  // The fallback EVAL cached the script under the SHA we computed.
  EXPECT_EQ(client_.Command({"SCRIPT", "EXISTS", script.sha1()})->elements().at(0).integer(), 1);

  ASSERT_TRUE(client_.Command({"SCRIPT", "FLUSH"}).ok());
  EXPECT_EQ(client_.Command({"SCRIPT", "EXISTS", script.sha1()})->elements().at(0).integer(), 0);
  absl::StatusOr<RedisReply> second = client_.Eval(script, {"e"}, {std::string("tw\0o", 4)});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->AsString().value(), std::string("tw\0o", 4));

  // Cached again, so the next call is a plain EVALSHA.
  EXPECT_EQ(client_.Eval(script, {"e"}, {"three"})->AsString().value(), "three");
  EXPECT_THAT(metrics_.commands(), ::testing::Contains("EVAL:set_and_get=OK"));
}

TEST_F(RedisClientTest, ScriptErrorReplyKeepsItsPrefixForCallers) {
  LuaScript script("conflict", "return redis.error_reply('CONFLICT practitioner busy')");
  absl::StatusOr<RedisReply> reply = client_.Eval(script, {}, {});
  ASSERT_FALSE(reply.ok());
  EXPECT_TRUE(IsRedisError(reply.status(), "CONFLICT")) << reply.status();
  EXPECT_EQ(reply.status().message(), "CONFLICT practitioner busy");
  EXPECT_THAT(metrics_.commands(), ::testing::Contains("EVAL:conflict=INTERNAL"));
}

TEST_F(RedisClientTest, EmbeddedScriptFromLuaFile) {
  const LuaScript& script = testing_lua::AddAndGetScript();
  EXPECT_EQ(script.name(), "add_and_get");
  EXPECT_THAT(script.source(), HasSubstr("\")\""));
  EXPECT_EQ(client_.Eval(script, {"counter"}, {"2"})->AsInt().value(), 2);
  EXPECT_EQ(client_.Eval(script, {"counter"}, {"40"})->AsInt().value(), 42);
}

TEST_F(RedisClientTest, BlockingCommandWithItsOwnTimeout) {
  absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> reply =
      client_.Command({"BLPOP", "empty-list", "0.1"}, absl::Seconds(2));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_nil());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(90));
}

TEST_F(RedisClientTest, CommandTimeoutIsUnavailableAndTheNextCommandWorks) {
  RedisOptions options = ParseRedisUrl(redis_.url()).value();
  options.command_timeout = absl::Milliseconds(200);
  RedisClient client(options);
  absl::Time start = absl::Now();
  // The server holds BLPOP for 5s; the client gives up after 200ms.
  absl::StatusOr<RedisReply> reply = client.Command({"BLPOP", "empty-list", "5"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("timed out"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_TRUE(client.Ping().ok());
}

// A redis-server with a password, which RedisServer does not set up.
class RedisAuthTest : public ::testing::Test {
 protected:
  RedisAuthTest()
      : port_(dermaflow::testing::PickFreePort()),
        server_({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
                 dir_.path(), "--save", "", "--appendonly", "no", "--requirepass", "pa:ss@word"},
                dir_.path() + "/redis.log") {
    if (!dermaflow::testing::WaitForPort(port_, std::chrono::seconds(10))) {
      ADD_FAILURE() << "redis-server did not start: " << server_.ReadLog();
    }
  }
  std::string Url(std::string_view credentials, int db) {
    return "redis://" + std::string(credentials) + "@127.0.0.1:" + std::to_string(port_) + "/" +
           std::to_string(db);
  }

  dermaflow::testing::TempDir dir_;
  int port_;
  dermaflow::testing::ChildProcess server_;
};

TEST_F(RedisAuthTest, AuthAndSelectOnConnect) {
  RedisClient db5(ParseRedisUrl(Url(":pa%3Ass%40word", 5)).value());
  RedisClient db0(ParseRedisUrl(Url("default:pa%3Ass%40word", 0)).value());
  ASSERT_TRUE(db5.Command({"SET", "where", "five"}).ok());
  EXPECT_EQ(db5.Command({"GET", "where"})->AsString().value(), "five");
  EXPECT_TRUE(db0.Command({"GET", "where"})->is_nil());
  EXPECT_EQ(db0.Command({"SELECT", "5"})->str(), "OK");  // same server, other db
}

TEST_F(RedisAuthTest, WrongPasswordIsUnavailableWithoutLeakingIt) {
  RedisClient client(ParseRedisUrl(Url(":wrong-secret", 0)).value());
  absl::Status status = client.Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("AUTH refused"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("wrong-secret")));
}

}  // namespace
}  // namespace dermaflow::common
