// The languages patients can be written to, in one table: adding a language
// (once notification has templates for it) is one line in locales.cc.
//
//   CanonicalLocale("de-at") == "de-AT";  CanonicalLocale("fr") == nullopt
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dermaflow::patient {

// The supported language subtags, e.g. {"de", "en"}.
const std::vector<std::string_view>& SupportedLanguages();

// `tag` in canonical case if it is "<language>" or "<language>-<region>"
// (region: two letters or three digits) with a supported language;
// nullopt otherwise (malformed or an unsupported language).
std::optional<std::string> CanonicalLocale(std::string_view tag);

}  // namespace dermaflow::patient
