// Runs a command line tool (dermactl, node, bash) from an e2e test and
// captures its exit code, stdout and stderr separately.
//
//   ShellResult r = RunShell({bin + "/dermactl", "clinics", "list"}, {{"DERMAFLOW_TOKEN", t}});
//   EXPECT_EQ(r.code, 0) << r.err;
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dermaflow::e2e {

struct ShellResult {
  int code = -1;  // the exit code; -1 when killed by a signal
  std::string out;
  std::string err;
};

// `env` is added to the test's environment; `unset` names variables to drop
// from it (e.g. a DERMAFLOW_TOKEN the developer has exported).
ShellResult RunShell(const std::vector<std::string>& argv,
                     const std::vector<std::pair<std::string, std::string>>& env = {},
                     const std::vector<std::string>& unset = {});

}  // namespace dermaflow::e2e
