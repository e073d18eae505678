// Page tokens of ListPatients and ListAuditEntries: the position after which
// the next page starts, plus a fingerprint of the query it belongs to,
// sealed with AES-256-GCM under the organization's own token key. So a token
// is opaque (positions in the name order hold names, which must not leak
// into URLs or logs), cannot be altered, and is refused by any other
// organization, list or filter set.
//
//   std::string token = *EncodePageToken(key, PageScope("patients", org), {fingerprint, position});
//   absl::StatusOr<PageCursor> cursor = DecodePageToken(key, scope, token);  // INVALID_ARGUMENT
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace dermaflow::patient {

inline constexpr size_t kPageTokenKeySize = 32;  // AES-256

struct PageCursor {
  std::string query;     // QueryFingerprint of the request's filters
  std::string position;  // list position of the last item returned

  friend bool operator==(const PageCursor&, const PageCursor&) = default;
};

// What a token is bound to besides its key: the list and the organization.
std::string PageScope(std::string_view list, std::string_view org);

// A short digest of a query's filters; parts are length-prefixed, so
// {"ab", "c"} and {"a", "bc"} differ.
std::string QueryFingerprint(std::initializer_list<std::string_view> parts);

// `key` must be kPageTokenKeySize bytes (INTERNAL otherwise).
absl::StatusOr<std::string> EncodePageToken(std::string_view key, std::string_view scope,
                                            const PageCursor& cursor);

// INVALID_ARGUMENT naming `page_token` for anything not made by
// EncodePageToken with the same key and scope.
absl::StatusOr<PageCursor> DecodePageToken(std::string_view key, std::string_view scope,
                                           std::string_view token);

}  // namespace dermaflow::patient
