// Test support: a throwaway certificate authority for TLS tests. Each TestPki
// makes its own CA (EC P-256, valid two days unless told otherwise) in a temporary directory with
// the `openssl` command and issues leaf certificates whose key usage allows
// both TLS server and TLS client use (serverAuth + clientAuth), so one leaf
// serves an SMTP server, an HTTPS server or either side of gRPC mTLS.
//
//   TestPki pki;                                         // CA in a temp dir
//   TestCert smtp = pki.Issue("smtp", {"localhost"}, {"127.0.0.1"});
//   smtp.ca_file;    // the CA certificate (PEM) to trust
//   smtp.cert_file;  // leaf certificate (PEM), issued by that CA
//   smtp.key_file;   // its private key (PKCS#8 PEM, unencrypted)
//   TestPki other;   // an unrelated CA: trusting it must fail verification
#pragma once

#include <string>
#include <vector>

#include "tests/support/process.h"

namespace dermaflow::testing {

struct TestCert {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

class TestPki {
 public:
  // Creates the CA; throws std::runtime_error if openssl fails.
  // `valid_days` of validity for the CA and its leaves: long for suites
  // whose clock travels ahead (libfaketime moves OpenSSL's clock too).
  explicit TestPki(const std::string& ca_name = "dermaflow test CA", int valid_days = 2);

  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // A leaf certificate with common name `name` and the given DNS and IP
  // subject alternative names. Files live as long as this TestPki.
  TestCert Issue(const std::string& name, const std::vector<std::string>& dns_names,
                 const std::vector<std::string>& ip_addresses = {});

  const std::string& ca_file() const { return ca_file_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  void Run(const std::vector<std::string>& argv, const std::string& what);

  TempDir dir_;
  std::string ca_file_;
  std::string ca_key_file_;
  std::string valid_days_;
  int issued_ = 0;
};

}  // namespace dermaflow::testing
