#include "services/scheduling/paging.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/proto/canonical_bytes.h"
#include "common/redis/lua_script.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"

namespace dermaflow::scheduling {
namespace {

constexpr char kSeparator = '.';  // not in the web-safe base64 alphabet

std::string PageTokenField(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("page_token");
  return field ? request.GetReflection()->GetString(request, field) : "";
}

}  // namespace

std::string RequestFingerprint(const google::protobuf::Message& request) {
  return common::Sha1Hex(common::CanonicalBytesWithout(
      request, {"request_id", "page_size", "page_token", "validate_only"}));
}

std::string EncodePageToken(const google::protobuf::Message& request,
                            const std::vector<std::string>& cursor) {
  std::vector<std::string> parts = {RequestFingerprint(request)};
  for (const std::string& part : cursor) parts.push_back(absl::WebSafeBase64Escape(part));
  return absl::StrJoin(parts, std::string(1, kSeparator));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(const google::protobuf::Message& request,
                                                         size_t cursor_parts) {
  const std::string token = PageTokenField(request);
  if (token.empty()) return std::vector<std::string>();
  std::vector<std::string> parts = absl::StrSplit(token, kSeparator);
  if (parts.size() != cursor_parts + 1) {
    return common::InvalidArgumentError("page_token", "not a token this API returned");
  }
  if (parts[0] != RequestFingerprint(request)) {
    return common::InvalidArgumentError("page_token", "belongs to a request with other filters");
  }
  std::vector<std::string> cursor;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string raw;
    if (!absl::WebSafeBase64Unescape(parts[i], &raw)) {
      return common::InvalidArgumentError("page_token", "not a token this API returned");
    }
    cursor.push_back(std::move(raw));
  }
  return cursor;
}

}  // namespace dermaflow::scheduling
