// Picking one language out of a LocalizedText, with the fallback every reader
// of protocol texts uses: the exact locale, then its language ("de-AT" ->
// "de"), then "en", then the first entry.
//
//   std::string name = Localize(protocol.display_name(), "de-AT");
//   v1::LocalizedText t = MakeText({{"de", "Hallo"}, {"en", "Hello"}});
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::protocol {

// The language part of a BCP-47 tag, lower-cased: "de-AT" -> "de".
std::string LanguageOf(std::string_view locale);

// The translation `locale` should see (see the top of this file), or nullptr
// when `text` has no translations.
const v1::Translation* PickTranslation(const v1::LocalizedText& text, std::string_view locale);

// PickTranslation's text; empty when there is none.
std::string Localize(const v1::LocalizedText& text, std::string_view locale);

// A LocalizedText from (locale, text) pairs.
v1::LocalizedText MakeText(
    std::initializer_list<std::pair<std::string_view, std::string_view>> texts);

}  // namespace dermaflow::protocol
