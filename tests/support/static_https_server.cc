#include "tests/support/static_https_server.h"

#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "tests/support/smtp_test_server.h"

namespace dermaflow::testing {

StaticHttpsServer::StaticHttpsServer(const TestCert& cert) : port_(PickFreePort()) {
  ::mkdir((dir_.path() + "/files").c_str(), 0700);
  process_ = StartServerProcess(
      std::vector<std::string>{SystemPython(), TestSupportDir() + "/static_https_server.py",
                               "--port", std::to_string(port_), "--dir", dir_.path(), "--cert",
                               cert.cert_file, "--key", cert.key_file},
      dir_.path() + "/server.log", port_, "static_https_server.py");
}

StaticHttpsServer::~StaticHttpsServer() { StopServerProcess(process_.get()); }

std::string StaticHttpsServer::url(const std::string& name) const {
  return "https://127.0.0.1:" + std::to_string(port_) + "/" + name;
}

void StaticHttpsServer::Publish(const std::string& name, const std::string& contents) {
  const std::string path = dir_.path() + "/files/" + name;
  {
    std::ofstream out(path + ".tmp", std::ios::trunc);
    out << contents;
  }
  std::rename((path + ".tmp").c_str(), path.c_str());
}

int StaticHttpsServer::Requests(const std::string& path) const {
  std::ifstream in(dir_.path() + "/requests.log");
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.rfind("GET " + path + " ", 0) == 0) ++count;
  }
  return count;
}

}  // namespace dermaflow::testing
