#include "tests/support/test_pki.h"

#include <fstream>
#include <stdexcept>

namespace dermaflow::testing {
namespace {

std::vector<std::string> WithEcKey(std::vector<std::string> argv) {
  for (const char* arg : {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"}) {
    argv.push_back(arg);
  }
  return argv;
}

}  // namespace

TestPki::TestPki(const std::string& ca_name, int valid_days)
    : ca_file_(dir_.path() + "/ca.pem"),
      ca_key_file_(dir_.path() + "/ca.key"),
      valid_days_(std::to_string(valid_days)) {
  std::vector<std::string> argv = WithEcKey({"openssl", "req", "-x509"});
  for (const std::string& arg :
       {std::string("-keyout"), ca_key_file_, std::string("-out"), ca_file_, std::string("-days"),
        valid_days_, std::string("-subj"), "/CN=" + ca_name, std::string("-addext"),
        std::string("basicConstraints=critical,CA:TRUE"), std::string("-addext"),
        std::string("keyUsage=critical,keyCertSign,cRLSign")}) {
    argv.push_back(arg);
  }
  Run(argv, "CA");
}

TestCert TestPki::Issue(const std::string& name, const std::vector<std::string>& dns_names,
                        const std::vector<std::string>& ip_addresses) {
  const std::string stem = dir_.path() + "/" + name + "-" + std::to_string(++issued_);
  TestCert cert{ca_file_, stem + ".pem", stem + ".key"};
  std::string san;
  for (const std::string& dns : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + dns;
  for (const std::string& ip : ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  {
    std::ofstream ext(stem + ".ext");
    ext << "basicConstraints=critical,CA:FALSE\n"
        << "keyUsage=critical,digitalSignature,keyEncipherment\n"
        << "extendedKeyUsage=serverAuth,clientAuth\n"
        << "subjectKeyIdentifier=hash\n"
        << "authorityKeyIdentifier=keyid\n";
    if (!san.empty()) ext << "subjectAltName=" << san << "\n";
  }
  std::vector<std::string> request = WithEcKey({"openssl", "req", "-new"});
  for (const std::string& arg : {std::string("-keyout"), cert.key_file, std::string("-out"),
                                 stem + ".csr", std::string("-subj"), "/CN=" + name}) {
    request.push_back(arg);
  }
  Run(request, "request for " + name);
  Run({"openssl", "x509", "-req", "-in", stem + ".csr", "-CA", ca_file_, "-CAkey", ca_key_file_,
       "-set_serial", std::to_string(1000 + issued_), "-days", valid_days_, "-out", cert.cert_file,
       "-extfile", stem + ".ext"},
      "certificate for " + name);
  return cert;
}

void TestPki::Run(const std::vector<std::string>& argv, const std::string& what) {
  ChildProcess openssl(argv, dir_.path() + "/openssl.log");
  if (openssl.Wait() != 0) {
    throw std::runtime_error("TestPki: openssl failed to make the " + what + ": " +
                             openssl.ReadLog());
  }
}

}  // namespace dermaflow::testing
