#include "services/notification/service_auth.h"

#include "absl/strings/str_cat.h"
#include "common/auth/jwt_minter.h"

namespace dermaflow::notification {

ServiceAuth::ServiceAuth(ServiceAuthOptions options, const common::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

absl::Status ServiceAuth::Authorize(const std::string& org, grpc::ClientContext* ctx) {
  if (options_.hs256_secret.empty()) return absl::OkStatus();
  const absl::Time now = clock_.Now();
  std::string token;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(org);
    if (it != tokens_.end() && it->second.second - now > absl::Minutes(10)) token = it->second.first;
  }
  if (token.empty()) {
    common::JwtClaims claims;
    claims.organization = org;
    claims.subject = options_.subject;
    claims.roles = {"service"};
    claims.issuer = options_.issuer;
    claims.audience = options_.audience;
    claims.issued_at = now;
    claims.expires_at = now + options_.lifetime;
    absl::StatusOr<std::string> minted =
        common::MintJwt(claims, common::JwtAlgorithm::kHs256, options_.hs256_secret);
    if (!minted.ok()) return minted.status();
    token = *minted;
    std::lock_guard<std::mutex> lock(mu_);
    tokens_[org] = {token, claims.expires_at};
  }
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return absl::OkStatus();
}

}  // namespace dermaflow::notification
