// Page tokens of every List RPC, written once. A token holds the position
// after which the next page starts, sealed with AES-256-GCM under a key of
// the caller's organization (derived from the service's one secret) and
// bound to the request's filters (its canonical bytes without page_token
// and page_size). So a client can neither read a token (positions may hold
// names) nor forge one, and a token that was altered, issued to another
// organization, by another list or for other filters is INVALID_ARGUMENT
// naming `page_token`.
//
//   PageTokenCodec tokens([&store] { return store.PageTokenSecret(); });
//   DF_ASSIGN_OR_RETURN(PagePosition after, tokens.Decode(org, request));  // {} on page 1
//   ...
//   DF_ASSIGN_OR_RETURN(std::string next, tokens.Encode(org, request, {last.start, last.id}));
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/api/page_token_secret.h"
#include "google/protobuf/message.h"

namespace dermaflow::common {

inline constexpr size_t kPageTokenSecretSize = kTokenSecretSize;

// Where a page ends: the sort key of its last item, one string per part.
using PagePosition = std::vector<std::string>;

class PageTokenCodec {
 public:
  // Returns the service's secret (kPageTokenSecretSize bytes, the same on
  // every replica). Called on the first token sealed or opened, then kept;
  // a failure (e.g. UNAVAILABLE) is returned and tried again next time.
  using SecretSource = CachedSecret::Source;

  explicit PageTokenCodec(SecretSource secret);

  // The position in `request`'s page_token field; empty for the first page
  // (empty token), without reading the secret.
  absl::StatusOr<PagePosition> Decode(std::string_view org,
                                      const google::protobuf::Message& request) const;

  // The next_page_token continuing `request` after `position`.
  absl::StatusOr<std::string> Encode(std::string_view org, const google::protobuf::Message& request,
                                     const PagePosition& position) const;

 private:
  absl::StatusOr<std::string> OrganizationKey(std::string_view org) const;

  CachedSecret secret_;
};

}  // namespace dermaflow::common
