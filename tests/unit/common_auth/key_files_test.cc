#include "common/auth/key_files.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/process.h"

namespace dermaflow::common {
namespace {

class KeyFilesTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }
  dermaflow::testing::TempDir dir_;
};

TEST_F(KeyFilesTest, SecretLosesTrailingNewlineOnly) {
  absl::StatusOr<std::string> secret =
      ReadHs256SecretFile(Write("k", "  0123456789abcdef0123456789abcdef\r\n"));
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "  0123456789abcdef0123456789abcdef");
}

TEST_F(KeyFilesTest, RejectsShortSecret) {
  absl::StatusOr<std::string> secret = ReadHs256SecretFile(Write("k", "0123456789abcdef\n"));
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kInvalidArgument);
  // The message names the file, never the secret.
  EXPECT_EQ(std::string(secret.status().message()).find("0123456789abcdef"), std::string::npos);
}

TEST_F(KeyFilesTest, RejectsMissingFile) {
  EXPECT_EQ(ReadHs256SecretFile(dir_.path() + "/none").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadPemFile(dir_.path() + "/none").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KeyFilesTest, ReadsPemAndRejectsOtherFiles) {
  std::string pem = "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(ReadPemFile(Write("p", pem)).value_or(""), pem);
  EXPECT_EQ(ReadPemFile(Write("q", "ssh-rsa AAAA")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dermaflow::common
