// Test support: captures what the process writes to stderr (where the JSON
// logger writes) while alive, so a test can assert on log lines.
//
//   CapturedStderr captured;
//   channel.Send(message);
//   EXPECT_THAT(captured.Text(), HasSubstr("SMS provider refused credentials"));
//
// Text() ends the capture. Header-only; not thread-safe against other
// writers' fd juggling (tests run one at a time per process).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dermaflow::testing {

class CapturedStderr {
 public:
  CapturedStderr() {
    char path[] = "/tmp/df_stderr_XXXXXX";
    const int fd = mkstemp(path);
    path_ = path;
    std::fflush(stderr);
    saved_ = dup(2);
    dup2(fd, 2);
    close(fd);
  }
  ~CapturedStderr() {
    Restore();
    std::remove(path_.c_str());
  }
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  // Everything written since construction; stops capturing.
  std::string Text() {
    Restore();
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Text(), one entry per line.
  std::vector<std::string> Lines() {
    std::vector<std::string> lines;
    std::istringstream in(Text());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

}  // namespace dermaflow::testing
