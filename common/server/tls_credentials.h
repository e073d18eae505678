// gRPC credentials from the TLS flags: plaintext when no certificate is
// configured (local runs), TLS with --tls_cert/--tls_key, mTLS when
// --tls_client_ca is also set. Files are read at start; a missing or
// unreadable file is an error naming the flag.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace dermaflow::common {

struct TlsFiles {
  std::string cert;       // PEM chain; empty = plaintext
  std::string key;        // PEM key
  std::string client_ca;  // server: require client certs signed by this CA
  std::string ca;         // client: verify servers against this CA
};

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsFiles& files);

// Reads a whole file; NOT_FOUND naming `flag_name` when it cannot.
absl::StatusOr<std::string> ReadFileForFlag(const std::string& path, std::string_view flag_name);

}  // namespace dermaflow::common
