// Test support: a real HTTPS server (static_https_server.py, a child
// process on a free 127.0.0.1 port) serving files the test publishes, e.g.
// an identity provider's JWKS that the test rotates mid-run.
//
//   TestPki pki(...);
//   StaticHttpsServer idp(pki.Issue("idp", {"localhost"}, {"127.0.0.1"}));
//   idp.Publish("certs", jwks_json);          // https://127.0.0.1:PORT/certs
//   services get --jwt_jwks_url=idp.url("certs") --jwt_jwks_ca_file=pki.ca_file()
//   idp.Requests("/certs");                   // how often it was fetched
//
// The destructor stops the server (SIGTERM, then SIGKILL, by PID).
#pragma once

#include <memory>
#include <string>

#include "tests/support/process.h"
#include "tests/support/test_pki.h"

namespace dermaflow::testing {

class StaticHttpsServer {
 public:
  explicit StaticHttpsServer(const TestCert& cert);  // throws if it does not start
  ~StaticHttpsServer();
  StaticHttpsServer(const StaticHttpsServer&) = delete;
  StaticHttpsServer& operator=(const StaticHttpsServer&) = delete;

  // https://127.0.0.1:PORT/<name>
  std::string url(const std::string& name) const;
  // Serves `contents` as <name> from now on (replaced atomically).
  void Publish(const std::string& name, const std::string& contents);
  // GET requests for `path` answered so far.
  int Requests(const std::string& path) const;

 private:
  int port_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace dermaflow::testing
