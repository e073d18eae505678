#include "common/metrics/process_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"

namespace dermaflow::common {
namespace {

// The fields of /proc/self/stat after the `(comm)` field, so index 0 is
// field 3 (state) of proc(5).
struct ProcStat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double start_ticks = 0;
  double vsize_bytes = 0;
  double rss_pages = 0;
};

std::optional<ProcStat> ReadProcStat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  size_t paren = line.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(paren + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  if (fields.size() < 22) return std::nullopt;
  ProcStat stat;
  bool ok = absl::SimpleAtod(fields[11], &stat.utime_ticks) &&
            absl::SimpleAtod(fields[12], &stat.stime_ticks) &&
            absl::SimpleAtod(fields[19], &stat.start_ticks) &&
            absl::SimpleAtod(fields[20], &stat.vsize_bytes) &&
            absl::SimpleAtod(fields[21], &stat.rss_pages);
  if (!ok) return std::nullopt;
  return stat;
}

std::optional<double> ReadBootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string line;
  while (std::getline(in, line)) {
    double btime = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtod(line.substr(6), &btime)) return btime;
  }
  return std::nullopt;
}

std::optional<double> CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  double count = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor opendir itself holds
}

prometheus::MetricFamily OneValue(const char* name, const char* help, prometheus::MetricType type,
                                  double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  return family;
}

}  // namespace

ProcessCollector::ProcessCollector() {
  std::optional<ProcStat> stat = ReadProcStat();
  std::optional<double> boot = ReadBootTimeSeconds();
  if (stat && boot) start_time_seconds_ = *boot + stat->start_ticks / sysconf(_SC_CLK_TCK);
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  if (start_time_seconds_ > 0) {
    families.push_back(OneValue("process_start_time_seconds",
                                "Start time of the process since unix epoch in seconds.",
                                MetricType::Gauge, start_time_seconds_));
  }
  if (std::optional<ProcStat> stat = ReadProcStat()) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    families.push_back(
        OneValue("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                 MetricType::Counter, (stat->utime_ticks + stat->stime_ticks) / ticks));
    families.push_back(OneValue("process_resident_memory_bytes", "Resident memory size in bytes.",
                                MetricType::Gauge,
                                stat->rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE))));
    families.push_back(OneValue("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                                MetricType::Gauge, stat->vsize_bytes));
  }
  if (std::optional<double> fds = CountOpenFds()) {
    families.push_back(
        OneValue("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(OneValue("process_max_fds", "Maximum number of open file descriptors.",
                                MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace dermaflow::common
