#include "common/http/https_get.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "tests/support/static_https_server.h"
#include "tests/support/test_pki.h"

namespace dermaflow::common {
namespace {

using testing::StaticHttpsServer;
using testing::TestPki;

class HttpsGetTest : public ::testing::Test {
 protected:
  TestPki pki_;
  StaticHttpsServer server_{pki_.Issue("jwks", {"localhost"}, {"127.0.0.1"})};
};

TEST_F(HttpsGetTest, ReturnsTheBodyOfAVerifiedServer) {
  server_.Publish("keys.json", R"({"keys":[]})");
  absl::StatusOr<std::string> body =
      HttpsGet(server_.url("keys.json"), {.ca_file = pki_.ca_file()});
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, R"({"keys":[]})");
}

TEST_F(HttpsGetTest, RefusesAServerSignedByAnotherCa) {
  server_.Publish("keys.json", "{}");
  TestPki other("another CA");
  absl::StatusOr<std::string> body =
      HttpsGet(server_.url("keys.json"), {.ca_file = other.ca_file()});
  EXPECT_EQ(body.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(body.status().message(), server_.url("keys.json")));
}

TEST_F(HttpsGetTest, RefusesAnswersOtherThan200) {
  absl::StatusOr<std::string> body =
      HttpsGet(server_.url("missing.json"), {.ca_file = pki_.ca_file()});
  EXPECT_EQ(body.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(body.status().message(), "answered HTTP 404"))
      << body.status().message();
}

TEST_F(HttpsGetTest, AbortsBodiesOverTheLimit) {
  server_.Publish("big.json", std::string(10000, 'x'));
  absl::StatusOr<std::string> body =
      HttpsGet(server_.url("big.json"), {.ca_file = pki_.ca_file(), .max_bytes = 4096});
  EXPECT_EQ(body.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(body.status().message(), "larger than 4096 bytes"))
      << body.status().message();
}

TEST(HttpsGetUrlTest, RefusesPlainHttp) {
  absl::StatusOr<std::string> body = HttpsGet("http://127.0.0.1:1/keys.json", {});
  EXPECT_EQ(body.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace dermaflow::common
