// Test support: a Twilio-shaped SMS provider (sms_provider_test_server.py,
// Python's standard library only) on a free 127.0.0.1 port. It checks HTTP
// basic auth (account sid : auth token) and the account in the path (401
// with Twilio error 20003 otherwise), records every message request (path,
// form fields, headers) and answers 201 with a Twilio-like JSON resource,
// or, when told, a given status and Twilio error code for the next N
// requests, so tests can check retry versus dead letter.
//
//   SmsProviderTestServer twilio;   // sid "AC0123...", token "test-auth-token"
//   options.base_url = twilio.base_url();  // http://127.0.0.1:PORT
//   twilio.FailNext(1, 400, 21211);        // the next request: invalid 'To'
//   ASSERT_TRUE(twilio.WaitForRequests(1, std::chrono::seconds(5)));
//   twilio.Requests()[0].form.at("Body");
//
// The destructor stops the server (SIGTERM, then SIGKILL, by PID).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace dermaflow::testing {

struct SmsProviderTestServerOptions {
  std::string account_sid = "AC0123456789abcdef0123456789abcdef";
  std::string auth_token = "test-auth-token";
};

struct ProviderRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> form;     // To, From / MessagingServiceSid, Body
  std::map<std::string, std::string> headers;  // lower-case names
  bool auth_ok = false;
  int status = 0;  // what the server answered
};

class SmsProviderTestServer {
 public:
  explicit SmsProviderTestServer(
      SmsProviderTestServerOptions options = {});  // throws if it does not start
  ~SmsProviderTestServer();

  SmsProviderTestServer(const SmsProviderTestServer&) = delete;
  SmsProviderTestServer& operator=(const SmsProviderTestServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& account_sid() const { return options_.account_sid; }
  const std::string& auth_token() const { return options_.auth_token; }

  // The next `count` message requests answer `http_status` with Twilio error
  // `error_code` (e.g. 429/20429, 400/21211, 500/0). Replaces an earlier plan.
  void FailNext(int count, int http_status, int error_code);

  std::vector<ProviderRequest> Requests() const;
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;

 private:
  SmsProviderTestServerOptions options_;
  int port_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace dermaflow::testing
