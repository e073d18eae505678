#include "common/api/page_token.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/api/sealed_box.h"
#include "common/proto/canonical_bytes.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr char kKeyLabel[] = "dermaflow page token key v1/";

absl::Status BadToken() {
  return InvalidArgumentError(
      "page_token",
      "is not a next_page_token of this list for these filters (altered, from other filters, "
      "another list or another organization)");
}

std::string TokenOf(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("page_token");
  return field ? request.GetReflection()->GetString(request, field) : "";
}

// What the token is bound to besides its key: the list (the request type)
// and its filters.
std::string BoundData(const google::protobuf::Message& request) {
  return absl::StrCat(request.GetDescriptor()->full_name(), "\n",
                      CanonicalBytesWithout(request, {"page_token", "page_size"}));
}

}  // namespace

PageTokenCodec::PageTokenCodec(SecretSource secret) : secret_(std::move(secret)) {}

absl::StatusOr<std::string> PageTokenCodec::OrganizationKey(std::string_view org) const {
  DF_ASSIGN_OR_RETURN(const std::string secret, secret_.Get());
  // One key per organization, none of which tells anything about the others.
  return DeriveKey(secret, absl::StrCat(kKeyLabel, absl::string_view(org.data(), org.size())));
}

absl::StatusOr<std::string> PageTokenCodec::Encode(std::string_view org,
                                                   const google::protobuf::Message& request,
                                                   const PagePosition& position) const {
  DF_ASSIGN_OR_RETURN(const std::string key, OrganizationKey(org));
  return SealBox(key, BoundData(request), JoinParts(position));
}

absl::StatusOr<PagePosition> PageTokenCodec::Decode(
    std::string_view org, const google::protobuf::Message& request) const {
  const std::string token = TokenOf(request);
  if (token.empty()) return PagePosition();
  // A malformed token is the client's error even while the secret is
  // unreadable: INVALID_ARGUMENT, not UNAVAILABLE.
  if (!LooksSealed(token)) return BadToken();
  DF_ASSIGN_OR_RETURN(const std::string key, OrganizationKey(org));
  std::optional<std::string> plain = OpenBox(key, BoundData(request), token);
  if (!plain) return BadToken();
  std::optional<PagePosition> position = SplitParts(*plain);
  if (!position) return BadToken();
  return *std::move(position);
}

}  // namespace dermaflow::common
