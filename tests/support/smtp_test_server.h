// Test support: a real SMTP server (Debian's python3-aiosmtpd, run from
// smtp_test_server.py as a child process) on a free 127.0.0.1 port. By
// default it REQUIRES STARTTLS with a TestPki certificate and AUTH
// (PLAIN/LOGIN) with the given user and password; implicit TLS (smtps) and
// plaintext modes exist for negative tests. Every message received is kept
// as raw RFC 5322 bytes and as Python's email-package parse of it, so
// checks run against an independent MIME decoder. Recipients whose local
// part starts with "reject" get 550, with "defer" 451.
//
//   TestPki pki;
//   SmtpTestServer smtp({.cert = pki.Issue("smtp", {"localhost"}, {"127.0.0.1"}),
//                        .user = "reminders", .password = "s3cret"});
//   // client: smtp.url() == "smtp://127.0.0.1:PORT", trust pki.ca_file()
//   ASSERT_TRUE(smtp.WaitForMessages(1, std::chrono::seconds(10)));
//   ReceivedMail mail = smtp.Messages()[0];
//   mail.headers.at("subject");  // decoded: "Pflegehinweise nach Ihrer Behandlung"
//
// The destructor stops the server (SIGTERM, then SIGKILL, by PID).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_pki.h"

namespace dermaflow::testing {

enum class SmtpTestTls {
  kStartTls,  // STARTTLS required before MAIL (and before AUTH)
  kImplicit,  // TLS from the first byte (smtps://)
  kNone,      // no TLS offered at all (a server that cannot do STARTTLS)
};

struct SmtpTestServerOptions {
  SmtpTestTls tls = SmtpTestTls::kStartTls;
  TestCert cert;     // required unless tls is kNone
  std::string user;  // empty: no AUTH required
  std::string password;
};

struct ReceivedMail {
  std::string mail_from;                           // envelope
  std::vector<std::string> rcpt_to;                // envelope
  bool tls = false;                                // the session ran over TLS
  std::string auth_user;                           // who authenticated; empty if none
  std::map<std::string, std::string> headers;      // lower-case name -> decoded value (first)
  std::map<std::string, std::string> raw_headers;  // lower-case name -> value as sent
  std::string body;                                // decoded text, "\n" line ends
  std::vector<std::string> defects;                // MIME defects Python found (none expected)
  std::string raw;                                 // the message bytes as received
};

class SmtpTestServer {
 public:
  explicit SmtpTestServer(SmtpTestServerOptions options);  // throws if it does not start
  ~SmtpTestServer();

  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }
  // smtp://127.0.0.1:PORT, or smtps://... in implicit mode.
  std::string url() const;
  // The same with a host name, e.g. url_for("mail.clinic.test").
  std::string url_for(const std::string& host) const;

  // Every message received so far, in order of arrival.
  std::vector<ReceivedMail> Messages() const;
  bool WaitForMessages(size_t n, std::chrono::milliseconds timeout) const;
  // Where the server writes its log (aiosmtpd's own lines).
  std::string ReadLog() const { return process_->ReadLog(); }

 private:
  size_t CountMessages() const;

  SmtpTestServerOptions options_;
  int port_;
  TempDir dir_;
  std::string mail_dir_;
  std::unique_ptr<ChildProcess> process_;
};

// The python3 with Debian's packages (aiosmtpd): /usr/bin/python3, not
// whatever python3 comes first on PATH.
std::string SystemPython();

// The directory of tests/support (for its scripts).
std::string TestSupportDir();

}  // namespace dermaflow::testing
