// The reminder texts of every language this build speaks: the files in
// services/notification/templates/<language>.textproto (schema and the
// placeholders each text may use: templates.proto), compiled in at build time
// and parsed on first use. templates.h renders messages with them.
//
//   const internal::LocaleTemplates* de = FindLocaleTemplates("de");
//   de->texts().greeting_named();  // "Hallo {name},"
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/embed/embedded_file.h"
#include "services/notification/templates.pb.h"

namespace dermaflow::notification {

// What a reader whose language has no file reads, and the one file every
// build must have.
inline constexpr char kFallbackLanguage[] = "en";

// The built-in languages, by file name. A file that does not parse or check
// (below) stops the process on first use; templates_validation_test checks every
// file, so a binary that passed its tests cannot.
const std::vector<internal::LocaleTemplates>& BuiltInLocaleTemplates();

// nullptr when no file serves `language` ("de", as LanguageOf gives it).
const internal::LocaleTemplates* FindLocaleTemplates(std::string_view language);

// The kFallbackLanguage templates.
const internal::LocaleTemplates& FallbackLocaleTemplates();

// Parses template files and checks each: named <language>.textproto after its
// `language`, every field set, seven weekdays and twelve months, and only the
// placeholders the field may use (templates.proto). INVALID_ARGUMENT naming
// the file, and the field or line.
absl::StatusOr<std::vector<internal::LocaleTemplates>> ParseLocaleTemplates(
    std::span<const common::EmbeddedFile> files);

}  // namespace dermaflow::notification
