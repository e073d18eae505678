// The credential a dermaflow service presents when it acts on its own (the
// notification service's event intake and dispatcher read patients and
// protocols with no person's token to forward): a short-lived service token
// (service_token.h) per organization, signed with the service-identity
// private key (ES256 or RS256, --service_token_key_file), which every service
// trusts beside the identity provider's keys. Local runs without that key
// sign with the HS256 development secret; with --auth=none nothing is sent.
//
//   ServiceTokenSource tokens({.service = "notification", .key = signing_key}, clock);
//   grpc::ClientContext ctx;
//   DF_RETURN_IF_ERROR(tokens.Authorize("clinic-a", &ctx));
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/jws_key.h"
#include "common/clock/clock.h"
#include "grpcpp/client_context.h"

namespace dermaflow::common {

struct ServiceTokenOptions {
  std::string service;        // "notification": sub is service:<service>
  std::optional<JwsKey> key;  // nullopt: send no token (--auth=none)
  absl::Duration lifetime = absl::Minutes(10);
};

class ServiceTokenSource {
 public:
  ServiceTokenSource(ServiceTokenOptions options, const Clock& clock);

  // Adds `authorization: Bearer <service token for org>` to `ctx` (nothing
  // without a key). A token is reused until a quarter of its life is left.
  absl::Status Authorize(const std::string& organization, grpc::ClientContext* ctx);

  // The token Authorize sends; "" without a key.
  absl::StatusOr<std::string> Token(const std::string& organization);

  bool enabled() const { return options_.key.has_value(); }

 private:
  const ServiceTokenOptions options_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, absl::Time>> tokens_;  // org -> (token, expiry)
};

}  // namespace dermaflow::common
