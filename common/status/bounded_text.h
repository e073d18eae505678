// Caller input that ends up in an error (an id in "patient \"…\" not found",
// a field path, a repeated element) is cut to a bound first: an error must
// stay small whatever the request held. Past ~64 KiB of trailers a gRPC
// client never receives the status and other calls on the connection stall.
//
//   absl::StrCat("patient \"", BoundedText(id), "\" not found")
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dermaflow::common {

// Bounds for what an error carries.
inline constexpr size_t kMaxErrorNameBytes = 128;         // ids, names, field paths
inline constexpr size_t kMaxErrorDescriptionBytes = 512;  // one violation's text
inline constexpr size_t kMaxErrorMessageBytes = 2048;     // the status message
inline constexpr size_t kMaxErrorViolations = 20;         // violations listed per status
// One detail payload; the bounds above keep every detail errors.h makes
// under it, so ToGrpcStatus drops only a payload assembled elsewhere.
inline constexpr size_t kMaxErrorDetailBytes = size_t{32} * 1024;

// `text` when it fits in `max_bytes`; else its first bytes (cut on a UTF-8
// character boundary) followed by "…(N bytes)".
std::string BoundedText(std::string_view text, size_t max_bytes = kMaxErrorNameBytes);

}  // namespace dermaflow::common
