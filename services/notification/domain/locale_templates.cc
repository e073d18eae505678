#include "services/notification/domain/locale_templates.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/embed/built_in_content.h"
#include "common/embed/text_proto_file.h"
#include "common/status/macros.h"
#include "google/protobuf/descriptor.h"
#include "services/notification/template_files.h"

namespace dermaflow::notification {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using internal::LocaleTemplates;

// The placeholders the renderer fills for a text (templates.proto).
std::set<std::string_view> AllowedPlaceholders(const FieldDescriptor& field) {
  const std::string& message = field.containing_type()->name();
  const std::string& name = field.name();
  if (message == "LocaleWords" && name == "date_format") {
    return {"{weekday}", "{day}", "{month}", "{year}"};
  }
  if (message == "LocaleWords" && name == "date_time_format")
    return {"{date}", "{hour}", "{minute}"};
  if (message != "Subjects" && message != "Texts") return {};
  std::set<std::string_view> allowed = {"{name}",  "{clinic}", "{protocol}",
                                        "{phone}", "{date}",   "{datetime}"};
  if (name == "next_session") allowed.insert("{position}");
  if (message == "Texts" && name.starts_with("link_")) allowed.insert("{link}");
  if (message == "Texts" && name == "waitlist_offer") allowed.insert("{until}");
  if (message == "Texts" && name == "position") {
    allowed.insert("{index}");
    allowed.insert("{count}");
  }
  return allowed;
}

// The first brace-delimited word of `text` that `field` may not use, or a
// lone brace; empty when all is well.
std::string BadPlaceholder(std::string_view text, const FieldDescriptor& field) {
  const std::set<std::string_view> allowed = AllowedPlaceholders(field);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return "}";
    if (text[i] != '{') continue;
    const size_t end = text.find('}', i);
    if (end == std::string_view::npos) return "{";
    const std::string_view placeholder = text.substr(i, end - i + 1);
    if (!allowed.contains(placeholder)) return std::string(placeholder);
    i = end;
  }
  return "";
}

// Every field set, counts right, placeholders known; the first problem as
// "<field path>: <problem>".
std::string CheckFields(const Message& message, const std::string& prefix) {
  const auto* reflection = message.GetReflection();
  const auto* descriptor = message.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor& field = *descriptor->field(i);
    const std::string path = prefix + field.name();
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!reflection->HasField(message, &field)) return path + ": missing";
      if (std::string e = CheckFields(reflection->GetMessage(message, &field), path + ".");
          !e.empty()) {
        return e;
      }
      continue;
    }
    std::vector<std::string> values;
    if (field.is_repeated()) {
      const int want = field.name() == "weekdays" ? 7 : field.name() == "months" ? 12 : -1;
      const int have = reflection->FieldSize(message, &field);
      if (have != want) return absl::StrCat(path, ": has ", have, " entries, wants ", want);
      for (int j = 0; j < have; ++j) {
        values.push_back(reflection->GetRepeatedString(message, &field, j));
      }
    } else {
      values.push_back(reflection->GetString(message, &field));
    }
    for (const std::string& value : values) {
      if (value.empty()) return path + ": missing";
      if (std::string bad = BadPlaceholder(value, field); !bad.empty()) {
        return absl::StrCat(path, ": unknown placeholder or stray brace \"", bad, "\"");
      }
    }
  }
  return "";
}

absl::StatusOr<LocaleTemplates> ParseFile(const common::EmbeddedFile& file) {
  LocaleTemplates templates;
  DF_RETURN_IF_ERROR(common::ParseTextProtoFile(file, templates));
  if (common::TextProtoFileStem(file) != templates.language()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(file.path),
                                                   ": must be named after its language, ",
                                                   templates.language(), ".textproto"));
  }
  if (std::string e = CheckFields(templates, ""); !e.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(file.path), ": ", e));
  }
  return templates;
}

}  // namespace

absl::StatusOr<std::vector<LocaleTemplates>> ParseLocaleTemplates(
    std::span<const common::EmbeddedFile> files) {
  return common::ParseEach<LocaleTemplates>(files, ParseFile);
}

const std::vector<LocaleTemplates>& BuiltInLocaleTemplates() {
  // templates_validation_test loads every file, so this cannot fail in a tested build.
  static const auto* const kAll = [] {
    auto* loaded = new std::vector<LocaleTemplates>(
        common::LoadedOrDie(ParseLocaleTemplates(TemplateFiles()), "message templates"));
    if (std::none_of(loaded->begin(), loaded->end(),
                     [](const auto& t) { return t.language() == kFallbackLanguage; })) {
      common::DieLoading(
          "message templates",
          absl::NotFoundError(absl::StrCat("no templates/", kFallbackLanguage, ".textproto")));
    }
    return loaded;
  }();
  return *kAll;
}

const LocaleTemplates* FindLocaleTemplates(std::string_view language) {
  for (const LocaleTemplates& t : BuiltInLocaleTemplates()) {
    if (t.language() == language) return &t;
  }
  return nullptr;
}

const LocaleTemplates& FallbackLocaleTemplates() { return *FindLocaleTemplates(kFallbackLanguage); }

}  // namespace dermaflow::notification
