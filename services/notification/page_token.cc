#include "services/notification/page_token.h"

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/proto/canonical_bytes.h"
#include "common/status/errors.h"

namespace dermaflow::notification {
namespace {

std::string Fingerprint(const google::protobuf::Message& request) {
  const std::string bytes = common::CanonicalBytesWithout(request, {"page_token", "page_size"});
  uint64_t hash = 1469598103934665603ull;  // FNV-1a: stable across builds and replicas
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}

std::string TokenOf(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("page_token");
  return field ? request.GetReflection()->GetString(request, field) : "";
}

}  // namespace

std::string EncodePageToken(const ListCursor& cursor, const google::protobuf::Message& request) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v1:", cursor.time_ms, ":", Fingerprint(request), ":", cursor.id));
}

absl::StatusOr<std::optional<ListCursor>> DecodePageToken(const google::protobuf::Message& request) {
  const std::string token = TokenOf(request);
  if (token.empty()) return std::nullopt;
  auto bad = [] { return common::InvalidArgumentError("page_token", "not a token of this list"); };
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return bad();
  std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits(':', 3));
  ListCursor cursor;
  if (parts.size() != 4 || parts[0] != "v1" || !absl::SimpleAtoi(parts[1], &cursor.time_ms)) {
    return bad();
  }
  if (parts[2] != Fingerprint(request)) {
    return common::InvalidArgumentError("page_token", "used with different filters");
  }
  cursor.id = parts[3];
  return cursor;
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) return common::InvalidArgumentError("page_size", "must not be negative");
  if (requested == 0) return 50;
  return std::min(requested, 500);
}

}  // namespace dermaflow::notification
