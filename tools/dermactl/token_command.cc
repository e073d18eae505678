// dermactl token: mints a development access token (HS256 JWT) from the
// key file the local suite verifies with, so dermactl, grpcurl and the Node
// client can call a suite started with --auth=jwt. Production tokens come
// from the clinic chain's identity provider.
#include <cstdlib>
#include <ostream>

#include "absl/time/clock.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/key_files.h"
#include "common/status/macros.h"
#include "tools/dermactl/commands.h"
#include "tools/dermactl/context.h"
#include "tools/dermactl/parse.h"

namespace dermaflow::dermactl {
namespace {

absl::Status Token(Context& ctx, const Args& args) {
  std::string key_file = args.Get("jwt_hs256_key_file");
  if (key_file.empty()) {
    const char* env = std::getenv("DERMAFLOW_JWT_HS256_KEY_FILE");
    key_file = env == nullptr ? "" : env;
  }
  if (key_file.empty()) {
    return UsageError("--jwt-hs256-key-file (or DERMAFLOW_JWT_HS256_KEY_FILE) is required");
  }
  absl::StatusOr<std::string> secret = common::ReadHs256SecretFile(key_file);
  if (!secret.ok()) return UsageError(std::string(secret.status().message()));
  DF_ASSIGN_OR_RETURN(absl::Duration ttl, ParseDuration(args.Get("ttl", "12h"), "ttl"));
  const absl::Time now = absl::Now();
  common::JwtClaims claims{
      .organization = args.Get("organization", "demo"),
      .subject = args.Get("subject", "dermactl"),
      .roles = SplitList(args.Get("roles", "reception,practitioner,clinic_admin,ops")),
      .issuer = args.Get("issuer"),
      .audience = args.Get("audience"),
      .expires_at = now + ttl,
      .issued_at = now,
  };
  absl::StatusOr<std::string> token =
      common::MintJwt(claims, common::JwtAlgorithm::kHs256, *secret);
  if (!token.ok()) return UsageError(std::string(token.status().message()));
  ctx.out() << *token << "\n";
  return absl::OkStatus();
}

}  // namespace

void RegisterTokenCommand(CommandSet& commands) {
  commands.Add({
      .name = "token",
      .summary = "Mint a development access token (HS256 JWT) for a local suite",
      .options = {{"jwt_hs256_key_file", "FILE", "the services' --jwt_hs256_key_file"},
                  {"organization", "ORG", "tenant (claim org; default demo)"},
                  {"subject", "SUB", "who you are (claim sub; default dermactl)"},
                  {"roles", "ROLES", "default reception,practitioner,clinic_admin,ops"},
                  {"ttl", "DURATION", "lifetime (default 12h)"},
                  {"issuer", "ISS", "claim iss, when the services require --jwt_issuer"},
                  {"audience", "AUD", "claim aud, when the services require --jwt_audience"}},
      .details = "Example:\n  export DERMAFLOW_TOKEN=$(dermactl token "
                 "--jwt-hs256-key-file=.run/keys/jwt_hs256.key)",
      .run = Token,
  });
}

}  // namespace dermaflow::dermactl
