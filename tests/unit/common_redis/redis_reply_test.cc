#include "common/redis/redis_reply.h"

#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

// Parses RESP bytes with hiredis' own reader, so the conversion is tested on
// the structures hiredis really builds, without a server.
RedisReply Parse(const std::string& resp) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(),
                                                                  &redisReaderFree);
  EXPECT_EQ(redisReaderFeed(reader.get(), resp.data(), resp.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
  EXPECT_NE(raw, nullptr) << "incomplete RESP in test";
  if (raw == nullptr) return RedisReply();
  RedisReply reply = RedisReply::FromHiredis(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

TEST(RedisReplyTest, BulkStringIsBinarySafe) {
  RedisReply reply = Parse(std::string("$5\r\na\0b\r\n\r\n", 11));
  EXPECT_EQ(reply.type(), RedisReply::Type::kString);
  EXPECT_EQ(reply.AsString().value(), std::string("a\0b\r\n", 5));
}

TEST(RedisReplyTest, Nil) {
  RedisReply reply = Parse("$-1\r\n");
  EXPECT_TRUE(reply.is_nil());
  EXPECT_EQ(reply.AsOptionalString().value(), std::nullopt);
  EXPECT_EQ(reply.AsString().status().code(), absl::StatusCode::kInternal);
}

TEST(RedisReplyTest, IntegerAndNumericString) {
  EXPECT_EQ(Parse(":-42\r\n").AsInt().value(), -42);
  EXPECT_EQ(Parse("$2\r\n17\r\n").AsInt().value(), 17);
  EXPECT_EQ(Parse("$2\r\nab\r\n").AsInt().status().code(), absl::StatusCode::kInternal);
}

TEST(RedisReplyTest, StatusReply) {
  RedisReply reply = Parse("+OK\r\n");
  EXPECT_EQ(reply.type(), RedisReply::Type::kStatus);
  EXPECT_EQ(reply.AsString().value(), "OK");
  EXPECT_TRUE(reply.ToStatus().ok());
}

TEST(RedisReplyTest, ErrorReplyBecomesInternalWithServerText) {
  RedisReply reply = Parse("-CONFLICT slot taken\r\n");
  EXPECT_TRUE(reply.is_error());
  absl::Status status = reply.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "CONFLICT slot taken");
  EXPECT_TRUE(IsRedisError(status));
  EXPECT_TRUE(IsRedisError(status, "CONFLICT"));
  EXPECT_FALSE(IsRedisError(status, "NOSCRIPT"));
  // Accessors on an error reply surface the error, not a type mismatch.
  EXPECT_EQ(reply.AsString().status().message(), "CONFLICT slot taken");
}

TEST(RedisReplyTest, OurOwnInternalErrorsAreNotRedisErrors) {
  EXPECT_FALSE(IsRedisError(absl::InternalError("CONFLICT made up")));
  EXPECT_FALSE(IsRedisError(absl::UnavailableError("connection refused")));
}

TEST(RedisReplyTest, NestedArray) {
  // What XREADGROUP returns: [[stream, [[id, [field, value]]]]]
  RedisReply reply =
      Parse("*1\r\n*2\r\n$6\r\nstream\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\ne\r\n$3\r\nabc\r\n");
  RedisReply expected = RedisReply::Array({RedisReply::Array(
      {RedisReply::String("stream"),
       RedisReply::Array({RedisReply::Array(
           {RedisReply::String("1-0"),
            RedisReply::Array({RedisReply::String("e"), RedisReply::String("abc")})})})})});
  EXPECT_EQ(reply, expected) << reply.DebugString();
  EXPECT_TRUE(reply.is_array());
}

TEST(RedisReplyTest, NilArrayAndEmptyArray) {
  EXPECT_TRUE(Parse("*-1\r\n").is_nil());
  RedisReply empty = Parse("*0\r\n");
  EXPECT_TRUE(empty.is_array());
  EXPECT_TRUE(empty.elements().empty());
}

TEST(RedisReplyTest, DebugStringEscapesBinary) {
  EXPECT_EQ(RedisReply::String(std::string("a\0", 2)).DebugString(), "\"a\\x00\"");
  EXPECT_EQ(RedisReply::Integer(3).DebugString(), "(integer) 3");
}

}  // namespace
}  // namespace dermaflow::common
