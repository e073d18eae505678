// The SMS reply endpoint on a real HTTP server and a real Redis: a signed
// reply from a number we asked finds its request's tokens and performs the
// one its words stand for; unsigned, unknown and unclear replies do nothing,
// and each outcome is counted. The action itself (scheduling's
// PatientActionService) is recorded here; the e2e test runs it for real.
#include <string>
#include <vector>

#include "common/api/page_token_secret.h"
#include "common/http/http_post.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/notification/inbound/sms_reply_server.h"
#include "services/notification/store/redis_sms_reply_book.h"
#include "tests/support/redis_server.h"
#include "tests/support/sms_reply_post.h"

namespace dermaflow::notification {
namespace {

constexpr char kAuthToken[] = "twilio-auth-token-for-tests";
constexpr char kPhone[] = "+4917612345678";

class SmsReplyServerTest : public ::testing::Test {
 protected:
  SmsReplyServerTest() {
    server_ = *SmsReplyServer::Start({.listen = "127.0.0.1:0",
                                      .signature = SmsReplyServerOptions::Signature::kTwilio,
                                      .secret = kAuthToken,
                                      .public_url = kPublicUrl},
                                     handler_);
    url_ = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1/sms/replies";
  }

  // Posts From/Body as Twilio would, signed with `token`; the HTTP status.
  long Post(const std::string& from, const std::string& text,
            const std::string& token = kAuthToken) {
    return dermaflow::testing::PostSmsReply(
        server_->port(),
        {.auth_token = token, .public_url = kPublicUrl, .from = from, .text = text});
  }

  double Count(const std::string& outcome) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "dermaflow_sms_replies_total") continue;
      for (const auto& m : family.metric) {
        for (const auto& label : m.label) {
          if (label.name == "outcome" && label.value == outcome) return m.counter.value;
        }
      }
    }
    return -1;
  }

  static constexpr char kPublicUrl[] = "https://clinic.example.de/v1/sms/replies";
  testing::RedisServer redis_server_;
  common::RedisClient redis_{*common::ParseRedisUrl(redis_server_.url())};
  RedisSmsReplyBook book_{redis_, [this] { return common::LoadActionTokenSecret(redis_); }};
  std::vector<std::string> performed_;
  absl::Status next_answer_ = absl::OkStatus();
  prometheus::Registry registry_;
  SmsReplyMetrics metrics_{registry_};
  SmsReplyHandler handler_{book_,
                           [this](const std::string& token) {
                             performed_.push_back(token);
                             return next_answer_;
                           },
                           metrics_};
  std::unique_ptr<SmsReplyServer> server_;
  std::string url_;
  common::CurlHandles handles_;
};

TEST_F(SmsReplyServerTest, AReplyPerformsTheTokenItsWordsStandFor) {
  ASSERT_TRUE(
      book_.Remember(kPhone, {"chain-a", "CONFIRM-T", "CANCEL-T"}, absl::Now() + absl::Hours(48))
          .ok());
  EXPECT_EQ(Post(kPhone, "Ja, bis morgen!"), 200);
  EXPECT_EQ(Post(kPhone, "NEIN"), 200);
  EXPECT_EQ(performed_, (std::vector<std::string>{"CONFIRM-T", "CANCEL-T"}));
  EXPECT_EQ(Count("confirmed"), 1);
  EXPECT_EQ(Count("cancelled"), 1);
}

TEST_F(SmsReplyServerTest, APostIsActedOnOnceAndAFailedOneMayBeRetried) {
  ASSERT_TRUE(book_.Remember(kPhone, {"chain-a", "C", "X"}, absl::Now() + absl::Hours(9)).ok());
  const dermaflow::testing::SmsReply reply{.auth_token = kAuthToken,
                                           .public_url = kPublicUrl,
                                           .from = kPhone,
                                           .text = "NEIN",
                                           .message_id = "SMcaptured"};
  next_answer_ = absl::UnavailableError("scheduling down");
  EXPECT_EQ(dermaflow::testing::PostSmsReply(server_->port(), reply), 503);
  next_answer_ = absl::OkStatus();
  EXPECT_EQ(dermaflow::testing::PostSmsReply(server_->port(), reply), 200);  // the retry
  EXPECT_EQ(dermaflow::testing::PostSmsReply(server_->port(), reply), 200);  // a replay
  EXPECT_EQ(performed_, (std::vector<std::string>{"X", "X"}));
  EXPECT_EQ(Count("failed"), 1);
  EXPECT_EQ(Count("cancelled"), 1);
  EXPECT_EQ(Count("duplicate"), 1);
}

TEST_F(SmsReplyServerTest, TheLatestRequestToANumberIsTheOneAnswered) {
  ASSERT_TRUE(
      book_.Remember(kPhone, {"chain-a", "OLD-C", "OLD-X"}, absl::Now() + absl::Hours(9)).ok());
  ASSERT_TRUE(
      book_.Remember(kPhone, {"chain-b", "NEW-C", "NEW-X"}, absl::Now() + absl::Hours(9)).ok());
  Post(kPhone, "yes");
  EXPECT_EQ(performed_, (std::vector<std::string>{"NEW-C"}));
}

TEST_F(SmsReplyServerTest, UnsignedUnknownAndUnclearRepliesDoNothing) {
  ASSERT_TRUE(book_.Remember(kPhone, {"chain-a", "C", "X"}, absl::Now() + absl::Hours(9)).ok());
  EXPECT_EQ(Post(kPhone, "JA", "not-the-auth-token"), 403);
  EXPECT_EQ(Post("+4915199999999", "JA"), 200);
  EXPECT_EQ(Post(kPhone, "Kann ich auch um 11 kommen?"), 200);
  EXPECT_TRUE(performed_.empty());
  EXPECT_EQ(Count("bad_signature"), 1);
  EXPECT_EQ(Count("unknown_sender"), 1);
  EXPECT_EQ(Count("no_action"), 1);
  // No phone number is kept in Redis, only its keyed digest.
  common::RedisReply keys = *redis_.Command({"KEYS", "*"});
  for (const auto& key : keys.elements()) {
    EXPECT_EQ(key.str().find("4917612345678"), std::string::npos) << key.str();
  }
}

TEST_F(SmsReplyServerTest, RefusedAndFailedActionsAreCountedApart) {
  ASSERT_TRUE(book_.Remember(kPhone, {"chain-a", "C", "X"}, absl::Now() + absl::Hours(9)).ok());
  next_answer_ = common::WithErrorInfo(absl::FailedPreconditionError("used"), "ACTION_ALREADY_USED",
                                       "dermaflow.scheduling.v1");
  Post(kPhone, "JA");
  next_answer_ = absl::FailedPreconditionError("appointment cancelled");
  Post(kPhone, "JA");
  next_answer_ = absl::UnavailableError("scheduling down");
  Post(kPhone, "JA");
  EXPECT_EQ(Count("already_used"), 1);
  EXPECT_EQ(Count("refused"), 1);
  EXPECT_EQ(Count("failed"), 1);
}

TEST_F(SmsReplyServerTest, AnExpiredRequestIsNoLongerAnswered) {
  ASSERT_TRUE(
      book_.Remember(kPhone, {"chain-a", "C", "X"}, absl::Now() + absl::Milliseconds(50)).ok());
  absl::SleepFor(absl::Milliseconds(120));
  Post(kPhone, "JA");
  EXPECT_TRUE(performed_.empty());
  EXPECT_EQ(Count("unknown_sender"), 1);
}

TEST_F(SmsReplyServerTest, OnlyPostsOfReplySizeAreRead) {
  common::HttpExchange big =
      common::HttpPost(handles_, {.url = url_,
                                  .content_type = "application/x-www-form-urlencoded",
                                  .body = std::string(size_t{70} * 1024, 'a'),
                                  .timeout = absl::Seconds(5)});
  EXPECT_EQ(big.http, 413);
}

}  // namespace
}  // namespace dermaflow::notification
