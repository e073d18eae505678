#include "tests/e2e/support/shell.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace dermaflow::e2e {
namespace {

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ShellResult RunShell(const std::vector<std::string>& argv,
                     const std::vector<std::pair<std::string, std::string>>& env,
                     const std::vector<std::string>& unset) {
  testing::TempDir dir;
  std::string cmd = "env";
  for (const std::string& name : unset) absl::StrAppend(&cmd, " -u ", name);
  for (const auto& [name, value] : env) absl::StrAppend(&cmd, " ", name, "=", Quote(value));
  for (const std::string& a : argv) absl::StrAppend(&cmd, " ", Quote(a));
  const std::string out = dir.path() + "/out", err = dir.path() + "/err";
  const int status = std::system(absl::StrCat(cmd, " </dev/null >", out, " 2>", err).c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(out), ReadAll(err)};
}

}  // namespace dermaflow::e2e
