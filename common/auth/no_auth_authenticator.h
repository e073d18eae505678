// The `--auth=none` authenticator for local runs and demos: every call, with
// or without a token, is the same fixed dev caller, who holds every role
// (kAllRoles), so role checks stay on and always pass. Never use it in a
// cluster.
//
//   NoAuthAuthenticator auth("demo");  // caller {org "demo", subject "dev", every role}
#pragma once

#include <string>
#include <vector>

#include "common/auth/authenticator.h"

namespace dermaflow::common {

class NoAuthAuthenticator : public Authenticator {
 public:
  explicit NoAuthAuthenticator(std::string organization = "demo");
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& ctx) const override;

 private:
  Caller caller_;
};

}  // namespace dermaflow::common
