// UTF-8 text helpers for patient names: code-point counting and the folding
// that makes search and sort case- and accent-insensitive ("Müller" and
// "MULLER" both fold to "muller", so the prefix "mul" finds them).
//
//   FoldForSearch("Ångström-Ñúñez") == "angstrom-nunez"
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dermaflow::patient {

// True for well-formed UTF-8 (count its characters with common/api/utf8.h).
bool IsValidUtf8(std::string_view text);

// True if `text` contains an ASCII control character (U+0000-U+001F, U+007F).
// Names, ids and e-mails never do, which is what lets index members use
// "\x00" and "\x01" as separators.
bool HasControlCharacter(std::string_view text);

// Lower-cases ASCII and Latin letters and strips their accents (Latin-1
// Supplement and Latin Extended-A: "ß" -> "ss", "Ø" -> "o", "Ł" -> "l");
// every other code point is kept as it is. `text` must be valid UTF-8.
std::string FoldForSearch(std::string_view text);

// `text` without leading and trailing ASCII white space.
std::string TrimSpaces(std::string_view text);

}  // namespace dermaflow::patient
