#include "tests/support/smtp_test_server.h"

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string StringField(const google::protobuf::Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  return it == s.fields().end() ? "" : it->second.string_value();
}

std::map<std::string, std::string> MapField(const google::protobuf::Struct& s,
                                            const std::string& name) {
  std::map<std::string, std::string> out;
  auto it = s.fields().find(name);
  if (it == s.fields().end()) return out;
  for (const auto& [k, v] : it->second.struct_value().fields()) out[k] = v.string_value();
  return out;
}

std::vector<std::string> ListField(const google::protobuf::Struct& s, const std::string& name) {
  std::vector<std::string> out;
  auto it = s.fields().find(name);
  if (it == s.fields().end()) return out;
  for (const auto& v : it->second.list_value().values()) out.push_back(v.string_value());
  return out;
}

}  // namespace

std::string SystemPython() { return "/usr/bin/python3"; }

std::string TestSupportDir() { return std::string(DERMAFLOW_SOURCE_DIR) + "/tests/support"; }

SmtpTestServer::SmtpTestServer(SmtpTestServerOptions options)
    : options_(std::move(options)), port_(PickFreePort()), mail_dir_(dir_.path() + "/mail") {
  std::filesystem::create_directories(mail_dir_);
  std::vector<std::string> argv = {SystemPython(), TestSupportDir() + "/smtp_test_server.py",
                                   "--port",       std::to_string(port_),
                                   "--dir",        mail_dir_};
  switch (options_.tls) {
    case SmtpTestTls::kStartTls:
      argv.insert(argv.end(), {"--tls", "starttls"});
      break;
    case SmtpTestTls::kImplicit:
      argv.insert(argv.end(), {"--tls", "implicit"});
      break;
    case SmtpTestTls::kNone:
      argv.insert(argv.end(), {"--tls", "none"});
      break;
  }
  if (options_.tls != SmtpTestTls::kNone) {
    if (options_.cert.cert_file.empty())
      throw std::runtime_error("SmtpTestServer: TLS needs a cert");
    argv.insert(argv.end(), {"--cert", options_.cert.cert_file, "--key", options_.cert.key_file});
  }
  if (!options_.user.empty()) {
    const std::string password_file = dir_.path() + "/password";
    std::ofstream(password_file) << options_.password;
    argv.insert(argv.end(), {"--user", options_.user, "--password_file", password_file});
  }
  process_ = StartServerProcess(argv, dir_.path() + "/smtp.log", port_, "smtp_test_server.py");
}

SmtpTestServer::~SmtpTestServer() { StopServerProcess(process_.get()); }

std::string SmtpTestServer::url() const { return url_for("127.0.0.1"); }

std::string SmtpTestServer::url_for(const std::string& host) const {
  return std::string(options_.tls == SmtpTestTls::kImplicit ? "smtps://" : "smtp://") + host + ":" +
         std::to_string(port_);
}

size_t SmtpTestServer::CountMessages() const {
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(mail_dir_)) {
    if (entry.path().extension() == ".json") ++n;
  }
  return n;
}

std::vector<ReceivedMail> SmtpTestServer::Messages() const {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(mail_dir_)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> mails;
  for (const std::string& file : files) {
    google::protobuf::Struct record;
    if (!google::protobuf::util::JsonStringToMessage(ReadFile(file), &record).ok()) {
      throw std::runtime_error("SmtpTestServer: unreadable record " + file);
    }
    ReceivedMail mail;
    mail.mail_from = StringField(record, "mail_from");
    mail.rcpt_to = ListField(record, "rcpt_to");
    mail.tls = record.fields().at("tls").bool_value();
    mail.auth_user = StringField(record, "auth_user");
    mail.headers = MapField(record, "headers");
    mail.raw_headers = MapField(record, "raw_headers");
    mail.body = StringField(record, "body");
    mail.defects = ListField(record, "defects");
    mail.raw = ReadFile(StringField(record, "eml"));
    mails.push_back(std::move(mail));
  }
  return mails;
}

bool SmtpTestServer::WaitForMessages(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (CountMessages() < n) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace dermaflow::testing
