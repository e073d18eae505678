#include "common/server/tls_credentials.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace dermaflow::common {

absl::StatusOr<std::string> ReadFileForFlag(const std::string& path, std::string_view flag_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("--", std::string(flag_name), ": cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files) {
  if (files.cert.empty() && files.key.empty()) return grpc::InsecureServerCredentials();
  if (files.cert.empty() || files.key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key must be set together");
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  DF_ASSIGN_OR_RETURN(pair.cert_chain, ReadFileForFlag(files.cert, "tls_cert"));
  DF_ASSIGN_OR_RETURN(pair.private_key, ReadFileForFlag(files.key, "tls_key"));
  options.pem_key_cert_pairs.push_back(pair);
  if (!files.client_ca.empty()) {
    DF_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFileForFlag(files.client_ca, "tls_client_ca"));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsFiles& files) {
  if (files.ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  DF_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFileForFlag(files.ca, "tls_ca"));
  // With mTLS on the servers, this service presents its own certificate.
  if (!files.cert.empty() && !files.key.empty()) {
    DF_ASSIGN_OR_RETURN(options.pem_cert_chain, ReadFileForFlag(files.cert, "tls_cert"));
    DF_ASSIGN_OR_RETURN(options.pem_private_key, ReadFileForFlag(files.key, "tls_key"));
  }
  return grpc::SslCredentials(options);
}

}  // namespace dermaflow::common
