#include "bench/notification/cpu_limit.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::bench {
namespace {

constexpr int64_t kPeriodUs = 100'000;  // Kubernetes' CFS period
constexpr char kV2Root[] = "/sys/fs/cgroup";
constexpr const char* kV1Roots[] = {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"};

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Plain write(2): a cgroup file reports a rejected value as the write's
// errno, which a buffered stream would lose.
void WriteFile(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(
        absl::StrCat("cpu limit: cannot open ", path, ": ", std::strerror(errno)));
  }
  const ssize_t written = write(fd, text.data(), text.size());
  const int error = errno;
  close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    throw std::runtime_error(absl::StrCat("cpu limit: cannot write \"", text, "\" to ", path, ": ",
                                          std::strerror(error)));
  }
}

bool HasWord(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    if (w == word) return true;
  }
  return false;
}

// The value of `key` in a "key value" per line file (cpu.stat); 0 if absent.
int64_t StatField(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string k;
  int64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

}  // namespace

CpuLimit::CpuLimit(const std::string& name, double cores) {
  if (!(cores >= 0.01 && cores <= 64)) {
    throw std::runtime_error(absl::StrCat("cpu limit: cores must be in [0.01, 64], got ", cores));
  }
  quota_us_ = std::llround(cores * kPeriodUs);
  if (HasWord(ReadFile(absl::StrCat(kV2Root, "/cgroup.controllers")), "cpu")) {
    v2_ = true;
    parent_ = kV2Root;
    // The root group may hold processes and still hand the controller down.
    const std::string subtree = parent_ + "/cgroup.subtree_control";
    if (!HasWord(ReadFile(subtree), "cpu")) WriteFile(subtree, "+cpu");
  } else {
    for (const char* root : kV1Roots) {
      if (Exists(absl::StrCat(root, "/cpu.cfs_quota_us"))) {
        parent_ = root;
        break;
      }
    }
  }
  if (parent_.empty()) {
    throw std::runtime_error(
        "cpu limit: no cgroup cpu controller (neither cgroup v2 with \"cpu\" in "
        "/sys/fs/cgroup/cgroup.controllers nor cgroup v1 /sys/fs/cgroup/cpu); the replicas "
        "phase runs each replica under a CPU limit and does not run unlimited");
  }
  path_ = parent_ + "/" + name;
  if (mkdir(path_.c_str(), 0755) != 0 && errno != EEXIST) {
    throw std::runtime_error(
        absl::StrCat("cpu limit: cannot create ", path_, ": ", std::strerror(errno)));
  }
  try {
    if (v2_) {
      WriteFile(path_ + "/cpu.max", absl::StrCat(quota_us_, " ", kPeriodUs));
    } else {
      WriteFile(path_ + "/cpu.cfs_period_us", absl::StrCat(kPeriodUs));
      WriteFile(path_ + "/cpu.cfs_quota_us", absl::StrCat(quota_us_));
    }
  } catch (...) {
    rmdir(path_.c_str());
    throw;
  }
}

CpuLimit::~CpuLimit() {
  if (rmdir(path_.c_str()) == 0) return;
  // Still populated (a child not reaped yet): hand its processes back.
  std::istringstream pids(ReadFile(path_ + "/cgroup.procs"));
  for (std::string pid; pids >> pid;) {
    try {
      WriteFile(parent_ + "/cgroup.procs", pid);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
    }
  }
  if (rmdir(path_.c_str()) != 0) {
    std::fprintf(stderr, "cpu limit: could not remove %s: %s\n", path_.c_str(),
                 std::strerror(errno));
  }
}

void CpuLimit::RemoveAbandoned(const std::string& prefix) {
  for (const char* root : {kV2Root, kV1Roots[0], kV1Roots[1]}) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_directory(error) || !absl::StartsWith(name, prefix)) continue;
      const std::string rest = name.substr(prefix.size());
      int owner = 0;
      if (!absl::SimpleAtoi(rest.substr(0, rest.find('-')), &owner)) continue;
      if (owner > 0 && kill(owner, 0) != 0 && errno == ESRCH) rmdir(entry.path().c_str());
    }
  }
}

void CpuLimit::Add(pid_t pid) { WriteFile(path_ + "/cgroup.procs", absl::StrCat(pid)); }

std::string CpuLimit::Describe() const {
  return v2_ ? absl::StrCat("cgroup v2, cpu.max \"", quota_us_, " ", kPeriodUs, "\"")
             : absl::StrCat("cgroup v1, cpu.cfs_quota_us ", quota_us_, " per cpu.cfs_period_us ",
                            kPeriodUs);
}

CpuThrottling CpuLimit::Throttling() const {
  const std::string stat = ReadFile(path_ + "/cpu.stat");
  return {StatField(stat, "nr_periods"), StatField(stat, "nr_throttled")};
}

}  // namespace dermaflow::bench
