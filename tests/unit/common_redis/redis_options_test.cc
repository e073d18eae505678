#include "common/redis/redis_options.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RedisOptionsTest, HostPortDb) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://redis.internal:6380/3");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "redis.internal");
  EXPECT_EQ(options->port, 6380);
  EXPECT_EQ(options->db, 3);
  EXPECT_EQ(options->password, "");
  EXPECT_EQ(options->username, "");
}

TEST(RedisOptionsTest, DefaultsForPortDbTimeoutsAndPool) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://localhost");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "localhost");
  EXPECT_EQ(options->port, 6379);
  EXPECT_EQ(options->db, 0);
  EXPECT_EQ(options->connect_timeout, absl::Seconds(1));
  EXPECT_EQ(options->command_timeout, absl::Seconds(2));
  EXPECT_EQ(options->pool_size, 8);
  EXPECT_TRUE(ParseRedisUrl("redis://localhost:6379/").ok());
}

TEST(RedisOptionsTest, PasswordOnly) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://:s3cret@10.0.0.7:6379/1");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->username, "");
  EXPECT_EQ(options->password, "s3cret");
  EXPECT_EQ(options->host, "10.0.0.7");
  EXPECT_EQ(options->db, 1);
}

TEST(RedisOptionsTest, UserAndPercentEncodedPassword) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("redis://scheduler:p%40ss%3Aw%2Ford@redis:6379");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->username, "scheduler");
  EXPECT_EQ(options->password, "p@ss:w/ord");
  EXPECT_EQ(options->host, "redis");
}

TEST(RedisOptionsTest, UnencodedAtInPasswordEndsAtLastAt) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://:a@b@redis:6379");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->password, "a@b");
  EXPECT_EQ(options->host, "redis");
}

TEST(RedisOptionsTest, Ipv6Host) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://[::1]:7000/2");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "::1");
  EXPECT_EQ(options->port, 7000);
  EXPECT_EQ(options->db, 2);
  EXPECT_EQ(RedisEndpoint(*options), "[::1]:7000/2");
}

TEST(RedisOptionsTest, SentinelsMasterAndDb) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("redis+sentinel://:pw@s1,s2:26380,[::1]/dermaflow/2");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->mode, RedisMode::kSentinel);
  EXPECT_EQ(options->sentinels,
            (std::vector<RedisNodeAddress>{{"s1", 26379}, {"s2", 26380}, {"::1", 26379}}));
  EXPECT_EQ(options->sentinel_master, "dermaflow");
  EXPECT_EQ(options->db, 2);
  EXPECT_EQ(options->password, "pw");
  EXPECT_EQ(RedisEndpoint(*options), "sentinel:dermaflow/2");
  EXPECT_TRUE(ValidateRedisOptions(*options).ok());
  EXPECT_EQ(ParseRedisUrl("redis+sentinel://s1/m")->db, 0);
}

TEST(RedisOptionsTest, SingleNodeIsTheDefaultMode) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://redis:6379/0");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->mode, RedisMode::kSingle);
  EXPECT_TRUE(options->cluster_seeds.empty());
}

TEST(RedisOptionsTest, ClusterSeedsAndCredentials) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("redis+cluster://app:p%40ss@redis-0:7000,10.0.0.2:7001,[::1]:7002,redis-3");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->mode, RedisMode::kCluster);
  EXPECT_EQ(options->username, "app");
  EXPECT_EQ(options->password, "p@ss");
  ASSERT_EQ(options->cluster_seeds.size(), 4u);
  EXPECT_EQ(options->cluster_seeds[0], (RedisNodeAddress{"redis-0", 7000}));
  EXPECT_EQ(options->cluster_seeds[1], (RedisNodeAddress{"10.0.0.2", 7001}));
  EXPECT_EQ(options->cluster_seeds[2], (RedisNodeAddress{"::1", 7002}));
  EXPECT_EQ(options->cluster_seeds[3], (RedisNodeAddress{"redis-3", 6379}));
  EXPECT_EQ(options->host, "redis-0");
  EXPECT_EQ(options->port, 7000);
  EXPECT_EQ(options->db, 0);
  EXPECT_EQ(RedisEndpoint(*options), "cluster redis-0:7000,10.0.0.2:7001,[::1]:7002,redis-3:6379");
  EXPECT_TRUE(ValidateRedisOptions(*options).ok());
  EXPECT_TRUE(ParseRedisUrl("redis+cluster://redis-0:7000/").ok());
  EXPECT_TRUE(ParseRedisUrl("redis+cluster://redis-0:7000/0").ok());
}

TEST(RedisOptionsTest, ValidateNamesClusterFields) {
  RedisOptions options = ParseRedisUrl("redis+cluster://redis-0:7000").value();
  options.cluster_max_redirections = 0;
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()),
              HasSubstr("cluster_max_redirections"));
  options = ParseRedisUrl("redis+cluster://redis-0:7000").value();
  options.cluster_seeds.clear();
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()), HasSubstr("cluster_seeds"));
  options = ParseRedisUrl("redis+cluster://redis-0:7000").value();
  options.db = 1;
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()), HasSubstr("db must be 0"));
}

struct BadUrl {
  const char* url;
  const char* problem;
};

class RedisOptionsBadUrlTest : public ::testing::TestWithParam<BadUrl> {};

TEST_P(RedisOptionsBadUrlTest, IsInvalidArgumentNamingTheProblem) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl(GetParam().url);
  ASSERT_FALSE(options.ok()) << GetParam().url;
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(options.status().message()), HasSubstr(GetParam().problem));
}

INSTANTIATE_TEST_SUITE_P(
    Urls, RedisOptionsBadUrlTest,
    ::testing::Values(
        BadUrl{"", "must start with redis://"}, BadUrl{"redis+sentinel://s1", "'/<master name>'"},
        BadUrl{"redis+sentinel://::1/m", "in brackets"}, BadUrl{"redis://::1", "in brackets"},
        BadUrl{"redis+sentinel://s1/", "empty master name"},
        BadUrl{"redis+sentinel://s1,/m", "missing host"},
        BadUrl{"redis+sentinel://s1:0/m", "port '0'"},
        BadUrl{"redis+sentinel://s1/m/x", "database 'x'"},
        BadUrl{"redis+sentinel://s1/m/0/1", "'/<master name>[/<db>]'"},
        BadUrl{"http://redis:6379", "must start with redis://"},
        BadUrl{"rediss://redis:6379", "TLS"}, BadUrl{"redis://", "missing host"},
        BadUrl{"redis://:6379", "missing host"}, BadUrl{"redis://redis:", "empty port"},
        BadUrl{"redis://redis:abc", "port 'abc'"}, BadUrl{"redis://redis:0", "port '0'"},
        BadUrl{"redis://redis:65536", "port '65536'"}, BadUrl{"redis://redis:-1", "port '-1'"},
        BadUrl{"redis://redis:6379/x", "database 'x'"},
        BadUrl{"redis://redis:6379/-1", "database '-1'"},
        BadUrl{"redis://redis:6379/0?timeout=1", "query"},
        BadUrl{"redis://justaname@redis", "credentials"},
        BadUrl{"redis://user:@redis", "empty password"},
        BadUrl{"redis://:bad%zz@redis", "percent-encoding"},
        BadUrl{"redis://[::1:6379", "unclosed '['"}, BadUrl{"redis://a:1,b:2", "redis+cluster://"},
        BadUrl{"redis+cluster://", "missing host"},
        BadUrl{"redis+cluster://a:1,,b:2", "cluster seed 2 is empty"},
        BadUrl{"redis+cluster://a:1,b:x", "cluster seed 2: port 'x'"},
        BadUrl{"redis+cluster://a:1,", "seed 2 is empty"},
        BadUrl{"redis+cluster://a:1/2", "only database 0"}, BadUrl{"rediss+cluster://a:1", "TLS"},
        BadUrl{"redis+cluster://a:1?x=1", "query"}));

TEST(RedisOptionsTest, ErrorsNeverContainThePassword) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://:topsecret@redis:99999");
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(std::string(options.status().message()), Not(HasSubstr("topsecret")));
}

TEST(RedisOptionsTest, ParsedOptionsAreValid) {
  EXPECT_TRUE(ValidateRedisOptions(ParseRedisUrl("redis://redis:6379/0").value()).ok());
}

TEST(RedisOptionsTest, ValidateNamesTheBadField) {
  RedisOptions options;
  options.pool_size = 0;
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()), HasSubstr("pool_size"));
  options = RedisOptions();
  options.command_timeout = absl::ZeroDuration();
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()), HasSubstr("command_timeout"));
  options = RedisOptions();
  options.durable_timeout = absl::Microseconds(500);
  EXPECT_THAT(std::string(ValidateRedisOptions(options).message()), HasSubstr("durable_timeout"));
  options = RedisOptions();
  options.host = "";
  EXPECT_EQ(ValidateRedisOptions(options).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dermaflow::common
