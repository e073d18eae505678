#include "tests/support/sms_provider_test_server.h"

#include <signal.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tests/support/http_get.h"
#include "tests/support/smtp_test_server.h"

namespace dermaflow::testing {
namespace {

std::map<std::string, std::string> MapField(const google::protobuf::Struct& s,
                                            const std::string& name) {
  std::map<std::string, std::string> out;
  auto it = s.fields().find(name);
  if (it == s.fields().end()) return out;
  for (const auto& [k, v] : it->second.struct_value().fields()) out[k] = v.string_value();
  return out;
}

}  // namespace

SmsProviderTestServer::SmsProviderTestServer(SmsProviderTestServerOptions options)
    : options_(std::move(options)), port_(PickFreePort()) {
  const std::string token_file = dir_.path() + "/token";
  std::ofstream(token_file) << options_.auth_token;
  process_ = StartServerProcess(
      std::vector<std::string>{SystemPython(), TestSupportDir() + "/sms_provider_test_server.py",
                               "--port", std::to_string(port_), "--dir", dir_.path(),
                               "--account_sid", options_.account_sid, "--auth_token_file",
                               token_file},
      dir_.path() + "/provider.log", port_, "sms_provider_test_server.py");
}

SmsProviderTestServer::~SmsProviderTestServer() { StopServerProcess(process_.get()); }

void SmsProviderTestServer::FailNext(int count, int http_status, int error_code) {
  const std::string answer = HttpGet(port_, "/_control/fail?count=" + std::to_string(count) +
                                                "&status=" + std::to_string(http_status) +
                                                "&code=" + std::to_string(error_code));
  if (answer.find("ok") == std::string::npos) {
    throw std::runtime_error("SmsProviderTestServer: control request failed");
  }
}

std::vector<ProviderRequest> SmsProviderTestServer::Requests() const {
  std::vector<ProviderRequest> requests;
  std::ifstream in(dir_.path() + "/requests.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    google::protobuf::Struct record;
    if (!google::protobuf::util::JsonStringToMessage(line, &record).ok()) continue;  // partial line
    ProviderRequest request;
    request.method = record.fields().at("method").string_value();
    request.path = record.fields().at("path").string_value();
    request.form = MapField(record, "form");
    request.headers = MapField(record, "headers");
    request.auth_ok = record.fields().at("auth_ok").bool_value();
    request.status = static_cast<int>(record.fields().at("status").number_value());
    requests.push_back(std::move(request));
  }
  return requests;
}

bool SmsProviderTestServer::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Requests().size() < n) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace dermaflow::testing
