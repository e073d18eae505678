#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace dermaflow::testing {
namespace {

constexpr int kLowestPort = 10000;
constexpr int kHighestPort = 65535;
constexpr int kEnough = 1000;

struct PortRange {
  int first;
  int count;
};

// Ports the kernel never hands to an outgoing connection: below its
// ephemeral range, else above it; if neither has room, any port from
// kLowestPort up (the reservations still keep test processes apart).
PortRange OutsideTheEphemeralRange() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  if (!(in >> low >> high)) low = 32768, high = 60999;
  if (low - kLowestPort >= kEnough) return {kLowestPort, low - kLowestPort};
  if (kHighestPort - high >= kEnough) return {high + 1, kHighestPort - high};
  return {kLowestPort, kHighestPort - kLowestPort + 1};
}

bool Bindable(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

class PortReservations {
 public:
  int Reserve() {
    std::lock_guard<std::mutex> lock(mu_);
    if (lock_fd_ < 0) Open();
    const auto [first, count] = OutsideTheEphemeralRange();
    std::uniform_int_distribution<int> offset(0, count - 1);
    const int start = offset(random_);
    for (int i = 0; i < count; ++i) {
      const int port = first + (start + i) % count;
      if (taken_.count(port) != 0 || !LockByte(port)) continue;
      taken_.insert(port);  // ours until exit, used or not
      if (Bindable(port)) return port;
    }
    throw std::runtime_error("PickFreePort: no free port outside the ephemeral range");
  }

 private:
  void Open() {
    const auto path = std::filesystem::temp_directory_path() /
                      ("dermaflow-test-ports-" + std::to_string(getuid()) + ".lock");
    // Never closed: closing any descriptor of the file would drop every lock.
    lock_fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lock_fd_ < 0) throw std::runtime_error("PickFreePort: cannot open " + path.string());
  }

  // Locks byte `port` of the file; fails if another process holds it. The
  // kernel releases it when this process exits, however it exits.
  bool LockByte(int port) {
    struct flock range {};
    range.l_type = F_WRLCK;
    range.l_whence = SEEK_SET;
    range.l_start = port;
    range.l_len = 1;
    return fcntl(lock_fd_, F_SETLK, &range) == 0;
  }

  std::mutex mu_;
  int lock_fd_ = -1;
  std::set<int> taken_;
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace

int PickFreePort() {
  static PortReservations reservations;
  return reservations.Reserve();
}

}  // namespace dermaflow::testing
