// The outer bounds every request field is held to before a handler runs:
// ids, page tokens, zones and text have a maximum length (ids and zones a
// shape too), repeated fields a maximum count. common::HandleRpc checks them
// for every RPC of every service, so no caller input reaches a store, a log
// line or an error message unbounded, and a 1 MB id is refused in
// microseconds instead of being looked up. Each service's own validation
// then applies the tighter rules of its fields (a protocol's display_name
// at most 100 characters, a phone number in E.164, …). The table is in
// docs/frontend.md, "Limits every request is held to".
//
//   DF_RETURN_IF_ERROR(CheckFieldLimits(request));  // INVALID_ARGUMENT + BadRequest
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace dermaflow::common {

inline constexpr size_t kMaxIdentifierLength = 64;   // id, *_id, *_ids, etag, request_id, *_key(s)
inline constexpr size_t kMaxPageTokenLength = 1024;  // page_token (sealed by the server)
inline constexpr size_t kMaxLongTextLength = 4000;   // notes, description, reason, …
inline constexpr size_t kMaxTextLength = 500;        // every other string
// Elements of any repeated field: the largest list the API allows anywhere
// (a clinic's closed_days, up to 500); services cap their own lists lower.
inline constexpr size_t kMaxRepeatedCount = 500;

// What a string field may hold.
enum class FieldShape {
  kText,        // any UTF-8 (protobuf checked that on parse)
  kIdentifier,  // letters, digits and . _ ~ - (URL-safe, no spaces, no paths)
  kTimeZone,    // an IANA name (time_zone_name.h), never a path
};

struct FieldLimit {
  size_t max_chars;
  FieldShape shape;
};

// The limit of a string field, chosen by its name.
FieldLimit LimitFor(const google::protobuf::FieldDescriptor& field);

// True when `text` is a non-empty identifier of at most kMaxIdentifierLength
// characters from the identifier alphabet.
bool IsIdentifier(std::string_view text);

// OK, or INVALID_ARGUMENT with one BadRequest violation per field out of its
// bounds, named by its path ("clinic.address.lines[2]"). Unset fields pass:
// whether a field is required is the service's rule.
absl::Status CheckFieldLimits(const google::protobuf::Message& request);

}  // namespace dermaflow::common
