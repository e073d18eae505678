// What a service token -- the credential a dermaflow service presents when
// it acts on its own, with no person's token to forward -- looks like. It is
// a short-lived JWT signed with the internal service-identity key (never the
// identity provider's), and verifiers accept it only under these names.
// See docs/security.md.
#pragma once

#include <algorithm>

#include "absl/strings/string_view.h"

namespace dermaflow::common {

inline constexpr char kServiceTokenIssuer[] = "dermaflow-service";
inline constexpr char kServiceTokenAudience[] = "dermaflow-internal";
// `sub` is "service:<name>", e.g. "service:notification".
inline constexpr char kServiceSubjectPrefix[] = "service:";
// Metadata naming the service that forwards a person's token (audit only).
inline constexpr char kViaServiceMetadata[] = "x-dermaflow-via-service";

// A dermaflow service's name as tokens and metadata carry it: 1-32 of
// [a-z-], so caller-supplied text cannot reach audit records.
inline bool IsServiceName(absl::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '-';
  });
}

}  // namespace dermaflow::common
