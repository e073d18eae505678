// Opaque page tokens for the List RPCs: where the next page starts, bound to
// the filters of the request that made it, so a token reused with other
// filters is refused (INVALID_ARGUMENT naming "page_token") instead of
// silently skipping or repeating items.
//
//   std::string token = EncodePageToken(filters, last_member);
//   DF_ASSIGN_OR_RETURN(std::string after, DecodePageToken(request.page_token(), filters));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace dermaflow::protocol {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

std::string EncodePageToken(std::string_view filters, std::string_view position);

// The position; "" for an empty token (the first page).
absl::StatusOr<std::string> DecodePageToken(std::string_view token, std::string_view filters);

// 0 -> 50, above 500 -> 500; INVALID_ARGUMENT naming "page_size" when negative.
absl::StatusOr<int> EffectivePageSize(int requested);

}  // namespace dermaflow::protocol
