#include "bench/notification/replica_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace dermaflow::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kTimeout{30'000};

std::string Errno(const char* what) { return absl::StrCat(what, ": ", std::strerror(errno)); }

}  // namespace

ReplicaProcess::ReplicaProcess(const std::vector<std::string>& flags) {
  // A child that died must fail Go() with an error, not end the bench with
  // SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int to[2], from[2];  // CLOEXEC: no other replica may hold this one's stdin open
  if (pipe2(to, O_CLOEXEC) != 0) throw std::runtime_error(Errno("replica: pipe"));
  if (pipe2(from, O_CLOEXEC) != 0) {
    close(to[0]);
    close(to[1]);
    throw std::runtime_error(Errno("replica: pipe"));
  }
  std::vector<std::string> argv = {"notification_bench", "--replica_child"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl
    dup2(to[0], STDIN_FILENO);
    dup2(from[1], STDOUT_FILENO);
    close_range(3, ~0U, 0);  // the bench's Redis sockets and other pipes
    execv("/proc/self/exe", args.data());
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  to_child_ = to[1];
  from_child_ = from[0];
  if (pid_ < 0) {
    close(to_child_);
    close(from_child_);
    throw std::runtime_error(Errno("replica: fork"));
  }
}

ReplicaProcess::~ReplicaProcess() {
  if (to_child_ >= 0) close(to_child_);
  if (from_child_ >= 0) close(from_child_);
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ReplicaProcess::ReadLine(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  for (;;) {
    const size_t end = buffered_.find('\n');
    if (end != std::string::npos) {
      std::string line = buffered_.substr(0, end);
      buffered_.erase(0, end + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error(
          absl::StrCat("replica ", pid_, ": no answer within ", timeout.count() / 1000, " s"));
    }
    pollfd p{from_child_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      throw std::runtime_error(Errno("replica: poll"));
    }
    if (p.revents == 0) continue;
    char chunk[256];
    const ssize_t got = read(from_child_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw std::runtime_error(
          absl::StrCat("replica ", pid_, " closed its stdout (exited?) before answering"));
    }
    buffered_.append(chunk, static_cast<size_t>(got));
  }
}

void ReplicaProcess::WaitReady() {
  const std::string line = ReadLine(kTimeout);
  if (line != "ready") {
    throw std::runtime_error(absl::StrCat("replica ", pid_, ": expected ready, got: ", line));
  }
}

void ReplicaProcess::Go() {
  if (write(to_child_, "go\n", 3) != 3) throw std::runtime_error(Errno("replica: go"));
}

int64_t ReplicaProcess::StopAndReport() {
  close(to_child_);
  to_child_ = -1;
  const std::string line = ReadLine(kTimeout);
  int64_t delivered = 0;
  absl::string_view count = line;
  if (!absl::ConsumePrefix(&count, "delivered ") || !absl::SimpleAtoi(count, &delivered)) {
    throw std::runtime_error(
        absl::StrCat("replica ", pid_, ": expected \"delivered <n>\", got: ", line));
  }
  const int code = WaitExit(kTimeout);
  if (code != 0) throw std::runtime_error(absl::StrCat("replica ", pid_, " exited ", code));
  return delivered;
}

int ReplicaProcess::WaitExit(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (r < 0) throw std::runtime_error(Errno("replica: waitpid"));
    std::this_thread::sleep_for(milliseconds(10));
  }
  return -1;
}

double ReplicaProcess::CpuSeconds() const {
  std::ifstream in(absl::StrCat("/proc/", pid_, "/stat"));
  std::stringstream text;
  text << in.rdbuf();
  const std::string stat = text.str();
  // Fields after "(comm)": state is field 3, utime 14 and stime 15.
  const size_t comm_end = stat.rfind(')');
  if (comm_end == std::string::npos) {
    throw std::runtime_error(absl::StrCat("replica ", pid_, ": no /proc stat"));
  }
  std::istringstream fields(stat.substr(comm_end + 1));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::strtod(field.c_str(), nullptr);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace dermaflow::bench
