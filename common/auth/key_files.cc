#include "common/auth/key_files.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::common {
absl::StatusOr<std::string> ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", what, " ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::StatusOr<std::string> ReadHs256SecretFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadWholeFile(path, "key file");
  if (!contents.ok()) return contents.status();
  std::string secret(absl::StripTrailingAsciiWhitespace(*contents));
  if (secret.size() < kMinHs256SecretBytes) {
    return absl::InvalidArgumentError(absl::StrCat("HS256 key file ", path, " holds fewer than ",
                                                   kMinHs256SecretBytes, " bytes"));
  }
  return secret;
}

absl::StatusOr<JwsKey> ReadHs256Key(const std::string& path) {
  absl::StatusOr<std::string> secret = ReadHs256SecretFile(path);
  if (!secret.ok()) return secret.status();
  return Hs256Key(*std::move(secret));
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadWholeFile(path, "key file");
  if (!contents.ok()) return contents.status();
  if (!absl::StrContains(*contents, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat("key file ", path, " is not PEM"));
  }
  return contents;
}

}  // namespace dermaflow::common
