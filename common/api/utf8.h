// Lengths of text as the API states its limits: in characters (Unicode code
// points), not bytes, so "Müller" is 6 long.
//
//   if (Utf8Length(request.notes()) > 2000) v.Add("notes", "at most 2000 characters");
#pragma once

#include <cstddef>
#include <string_view>

namespace dermaflow::common {

// Code points in `text`, which must be UTF-8 (protobuf checks string fields
// on parse); a stray continuation byte is not counted.
size_t Utf8Length(std::string_view text);

// True when `text` has between `min` and `max` characters.
bool Utf8LengthBetween(std::string_view text, size_t min, size_t max);

}  // namespace dermaflow::common
