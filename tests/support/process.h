// Test support: child processes and free loopback ports.
//
// Every server a test starts binds 127.0.0.1 on a port picked here and is
// stopped by the object that started it (by PID), even when the test fails.
//
//   ChildProcess p({"/usr/bin/redis-server", "--port", "1234"}, "/tmp/log");
//   p.Signal(SIGTERM); int code = p.Wait();
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/free_port.h"

namespace dermaflow::testing {

// Waits until something accepts TCP connections on 127.0.0.1:port.
bool WaitForPort(int port, std::chrono::milliseconds timeout);

class ChildProcess {
 public:
  // Starts argv[0] with the given arguments; stdout and stderr go to log_path.
  // Extra environment variables are added to the test's own environment.
  ChildProcess(std::vector<std::string> argv, std::string log_path,
               std::map<std::string, std::string> env = {});
  ~ChildProcess();  // SIGKILL and reap if still running.

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int signal);
  // Waits for exit; returns the exit code, 128+signal if killed, or -1 on
  // timeout.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits until 127.0.0.1:port accepts connections; false at the timeout or
  // as soon as the process has exited (a server that failed to start).
  bool WaitUntilListening(int port, std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_path_; }
  std::string ReadLog() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string log_path_;
};

// A test server as a child process: started, and waited for until it
// accepts connections on 127.0.0.1:port; throws with its log (naming `what`)
// when it does not within 15 s.
std::unique_ptr<ChildProcess> StartServerProcess(std::vector<std::string> argv,
                                                 std::string log_path, int port,
                                                 const std::string& what);
// SIGTERM, then SIGKILL if it has not exited within 5 s (no-op if gone).
void StopServerProcess(ChildProcess* process);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace dermaflow::testing
