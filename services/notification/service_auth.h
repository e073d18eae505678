// Credentials for the calls the service makes on its own behalf (event
// intake and dispatch read protocols and patients), where there is no
// caller's token to forward: a short-lived JWT per organization with the
// role "service", minted with the HS256 secret the services share. With
// peers running --auth=none no token is needed and none is sent.
//
//   ServiceAuth auth({.hs256_secret = secret}, clock);
//   grpc::ClientContext ctx;
//   DF_RETURN_IF_ERROR(auth.Authorize(org, &ctx));
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "grpcpp/client_context.h"

namespace dermaflow::notification {

struct ServiceAuthOptions {
  std::string hs256_secret;  // empty: send no token
  std::string issuer;
  std::string audience;
  std::string subject = "system:notification";
  absl::Duration lifetime = absl::Hours(1);
};

class ServiceAuth {
 public:
  ServiceAuth(ServiceAuthOptions options, const common::Clock& clock);

  // Adds `authorization: Bearer <token for org>` to `ctx` (nothing without a
  // secret). Tokens are reused until 10 minutes before they expire.
  absl::Status Authorize(const std::string& org, grpc::ClientContext* ctx);

 private:
  const ServiceAuthOptions options_;
  const common::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, absl::Time>> tokens_;  // org -> (token, expiry)
};

}  // namespace dermaflow::notification
