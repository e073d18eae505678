#include "services/protocol/page_token.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace dermaflow::protocol {
namespace {

absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

std::string EncodePageToken(std::string_view filters, std::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(Absl(filters), "\n", Absl(position)));
}

absl::StatusOr<std::string> DecodePageToken(std::string_view token, std::string_view filters) {
  if (token.empty()) return std::string();
  std::string decoded;
  const std::string expected_prefix = absl::StrCat(Absl(filters), "\n");
  if (!absl::WebSafeBase64Unescape(Absl(token), &decoded) ||
      decoded.compare(0, expected_prefix.size(), expected_prefix) != 0 ||
      decoded.size() == expected_prefix.size()) {
    return common::InvalidArgumentError(
        "page_token", "is not a next_page_token of a request with the same filters");
  }
  return decoded.substr(expected_prefix.size());
}

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) return common::InvalidArgumentError("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

}  // namespace dermaflow::protocol
