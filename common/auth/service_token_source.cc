#include "common/auth/service_token_source.h"

#include "absl/strings/str_cat.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/roles.h"
#include "common/auth/service_token.h"

namespace dermaflow::common {

ServiceTokenSource::ServiceTokenSource(ServiceTokenOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

absl::Status ServiceTokenSource::Authorize(const std::string& organization,
                                           grpc::ClientContext* ctx) {
  absl::StatusOr<std::string> token = Token(organization);
  if (!token.ok()) return token.status();
  if (!token->empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ServiceTokenSource::Token(const std::string& organization) {
  if (!options_.key) return "";
  const absl::Time now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(organization);
    if (it != tokens_.end() && it->second.second - now > options_.lifetime / 4) {
      return it->second.first;
    }
  }
  JwtClaims claims;
  claims.organization = organization;
  claims.subject = absl::StrCat(kServiceSubjectPrefix, options_.service);
  claims.roles = {std::string(kServiceRole)};
  claims.issuer = std::string(kServiceTokenIssuer);
  claims.audience = std::string(kServiceTokenAudience);
  claims.issued_at = now;
  claims.expires_at = now + options_.lifetime;
  absl::StatusOr<std::string> minted = MintJwt(claims, *options_.key);
  if (!minted.ok()) return minted.status();
  std::lock_guard<std::mutex> lock(mu_);
  tokens_[organization] = {*minted, claims.expires_at};
  return minted;
}

}  // namespace dermaflow::common
