// Small text checks shared by request validation: lengths in characters
// (Unicode code points, as the API's limits are stated), not bytes.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace dermaflow::scheduling {

// Code points in a UTF-8 string (protobuf has already checked it is UTF-8).
size_t Utf8Length(absl::string_view text);

// True when `text` has between `min` and `max` characters.
bool LengthBetween(absl::string_view text, size_t min, size_t max);

}  // namespace dermaflow::scheduling
