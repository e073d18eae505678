// dermaflow-notification refuses channel configurations that cannot work or
// would be unsafe: exit code 2 and one JSON log line naming the flag, before
// it serves anything.
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"

namespace dermaflow::notification {
namespace {

using ::dermaflow::testing::ChildProcess;
using ::dermaflow::testing::RedisServer;
using ::dermaflow::testing::TempDir;
using ::testing::HasSubstr;

class ChannelFlagsTest : public ::testing::Test {
 protected:
  // Runs the binary with `flags`; returns its exit code, the log in *log.
  int Run(const std::vector<std::string>& flags, std::string* log) {
    std::vector<std::string> argv = {
        std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-notification", "--auth=none",
        "--redis=" + redis_.url(), "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    ChildProcess p(argv, dir_.path() + "/log-" + std::to_string(++runs_));
    const int code = p.Wait(std::chrono::seconds(15));
    *log = p.ReadLog();
    if (code < 0) p.Signal(SIGKILL);
    return code;
  }

  std::string Secret(const std::string& name, const std::string& content) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream(path) << content;
    return path;
  }

  RedisServer redis_;
  TempDir dir_;
  int runs_ = 0;
};

TEST_F(ChannelFlagsTest, BadSmtpUrlsExitWithTwoNamingTheFlag) {
  for (const char* url : {"--smtp_url=http://mail.example:587", "--smtp_url=smtp://",
                          "--smtp_url=smtp://mail.example:99999", "--smtp_url=junk",
                          "--smtp_url=smtp://user:pw@mail.example:587"}) {
    std::string log;
    EXPECT_EQ(Run({url}, &log), 2) << url << "\n" << log;
    EXPECT_THAT(log, HasSubstr("\"level\":\"error\"")) << url;
    EXPECT_THAT(log, HasSubstr("--smtp_url")) << url;
  }
}

TEST_F(ChannelFlagsTest, AuthWithoutTlsAndMissingSecretsAreRefused) {
  std::string log;
  EXPECT_EQ(Run({"--smtp_url=smtp://mail.example:587", "--smtp_user=reminders",
                 "--smtp_password_file=" + Secret("pw", "s3cret"), "--smtp_insecure_plaintext"},
                &log),
            2);
  EXPECT_THAT(log, HasSubstr("--smtp_insecure_plaintext"));

  EXPECT_EQ(Run({"--smtp_url=smtp://mail.example:587", "--smtp_user=reminders",
                 "--smtp_password_file=" + dir_.path() + "/missing"},
                &log),
            2);
  EXPECT_THAT(log, HasSubstr("--smtp_password_file"));

  EXPECT_EQ(Run({"--sms_provider=twilio", "--sms_twilio_account_sid=AC1", "--sms_from=+4930901820",
                 "--sms_twilio_auth_token_file=" + Secret("empty", "")},
                &log),
            2);
  EXPECT_THAT(log, HasSubstr("--sms_twilio_auth_token_file"));

  EXPECT_EQ(Run({"--sms_provider=twilio", "--sms_twilio_account_sid=AC1",
                 "--sms_twilio_auth_token_file=" + Secret("token", "t")},
                &log),
            2);
  EXPECT_THAT(log, HasSubstr("--sms_from"));

  EXPECT_EQ(Run({"--sms_provider=carrier-pigeon"}, &log), 2);
  EXPECT_THAT(log, HasSubstr("--sms_provider"));

  EXPECT_EQ(Run({"--sms_webhook_url=https://sms.example/hook"}, &log), 2);
  EXPECT_THAT(log, HasSubstr("--sms_webhook_secret_file"));
}

}  // namespace
}  // namespace dermaflow::notification
