// The message template files (services/notification/templates/*.textproto):
// every file in the folder is compiled in, parses, has every key of
// templates.proto, and uses only the placeholders the renderer fills; every
// language renders every reminder kind with no placeholder left over.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "services/notification/domain/locale_templates.h"
#include "services/notification/domain/templates.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/template_files.h"
#include "services/protocol/domain/catalog.h"
#include "tests/support/source_files.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using namespace dermaflow::notification::testing;  // NOLINT
using internal::LocaleTemplates;
using ::testing::HasSubstr;

std::string EnglishText() {
  for (const common::EmbeddedFile& f : TemplateFiles()) {
    if (f.path == "services/notification/templates/en.textproto") return std::string(f.contents);
  }
  ADD_FAILURE() << "no en.textproto";
  return "";
}

// The English file with `field` ("texts.closing") replaced by `value` (or
// removed when value is empty), as a file named `name`.
std::string Edited(const std::string& field, const std::string& value) {
  LocaleTemplates t;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(EnglishText(), &t));
  const std::string section = field.substr(0, field.find('.'));
  const std::string name = field.substr(field.find('.') + 1);
  auto* message = section == "texts" ? static_cast<google::protobuf::Message*>(t.mutable_texts())
                  : section == "subjects"
                      ? static_cast<google::protobuf::Message*>(t.mutable_subjects())
                      : static_cast<google::protobuf::Message*>(t.mutable_words());
  const auto* f = message->GetDescriptor()->FindFieldByName(name);
  EXPECT_NE(f, nullptr) << field;
  if (f->is_repeated()) {
    message->GetReflection()->RemoveLast(message, f);
  } else {
    message->GetReflection()->SetString(message, f, value);
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(t, &text);
  return text;
}

absl::Status ParseOne(std::string_view path, const std::string& contents) {
  const common::EmbeddedFile files[] = {{path, contents}};
  return ParseLocaleTemplates(files).status();
}

constexpr std::string_view kEnPath = "services/notification/templates/en.textproto";

TEST(TemplatesValidationTest, EveryFileInTheFolderIsCompiledIn) {
  std::set<std::string> embedded;
  for (const common::EmbeddedFile& f : TemplateFiles()) embedded.insert(std::string(f.path));
  EXPECT_EQ(embedded, ::dermaflow::testing::FilesInSourceFolder("services/notification/templates"))
      << "re-run cmake to pick up a new language file";
}

TEST(TemplatesValidationTest, EveryLocaleFileHasEveryKeyAndOnlyKnownPlaceholders) {
  absl::StatusOr<std::vector<LocaleTemplates>> all = ParseLocaleTemplates(TemplateFiles());
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> languages;
  for (const LocaleTemplates& t : *all) languages.insert(t.language());
  EXPECT_TRUE(languages.contains(std::string(kFallbackLanguage)));
  EXPECT_TRUE(languages.contains("de"));
  EXPECT_EQ(BuiltInLocaleTemplates().size(), TemplateFiles().size());
}

TEST(TemplatesValidationTest, AMissingKeyIsNamed) {
  EXPECT_TRUE(ParseOne(kEnPath, EnglishText()).ok());
  for (const char* field :
       {"texts.closing", "subjects.maintenance_nudge", "words.date_format", "texts.position"}) {
    absl::Status s = ParseOne(kEnPath, Edited(field, ""));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(s.message(), HasSubstr(absl::StrCat(field, ": missing"))) << field;
  }
  absl::Status s = ParseOne(kEnPath, Edited("words.months", ""));
  EXPECT_THAT(s.message(), HasSubstr("words.months: has 11 entries, wants 12"));
  s = ParseOne(kEnPath, Edited("words.weekdays", ""));
  EXPECT_THAT(s.message(), HasSubstr("words.weekdays: has 6 entries, wants 7"));
}

TEST(TemplatesValidationTest, UnknownPlaceholdersAndStrayBracesAreRefused) {
  struct Bad {
    std::string field, value, named;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"texts.closing", "Your team at {clinik}", "{clinik}"},
           {"texts.appointment", "session{position}", "{position}"},  // only next_session
           {"texts.closing", "{index}", "{index}"},                   // only position
           {"subjects.follow_up", "see you}", "}"},
           {"texts.greeting", "Hello {name", "{"},
           {"words.date_format", "{weekday} {date}", "{date}"},
           {"words.date_time_format", "{date} {second}", "{second}"},
       }) {
    absl::Status s = ParseOne(kEnPath, Edited(bad.field, bad.value));
    EXPECT_THAT(s.message(), HasSubstr(absl::StrCat(bad.field,
                                                    ": unknown placeholder or stray "
                                                    "brace \"",
                                                    bad.named, "\"")))
        << bad.field << " = " << bad.value;
  }
  EXPECT_TRUE(ParseOne(kEnPath, Edited("subjects.next_session", "Session{position}")).ok());
  EXPECT_TRUE(ParseOne(kEnPath, Edited("texts.position", " {index}/{count} {clinic}")).ok());
}

TEST(TemplatesValidationTest, AFileIsNamedAfterItsLanguageAndParsesStrictly) {
  absl::Status s = ParseOne("services/notification/templates/fr.textproto", EnglishText());
  EXPECT_THAT(s.message(), HasSubstr("must be named after its language, en.textproto"));
  s = ParseOne(kEnPath, EnglishText() + "\nfarewell: \"Bye\"\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("services/notification/templates/en.textproto:"));
  EXPECT_THAT(s.message(), HasSubstr("farewell"));
}

// Rendering fills every placeholder a file may use, in every language.
TEST(TemplatesValidationTest, EveryLanguageRendersEveryKindWithNothingLeftOver) {
  const auto& p = protocol::FindCatalogEntry("collagen_injection")->protocol;
  const ClinicInfo clinic{"c", "Clinic", "Europe/Berlin", "+49301234567", true};
  for (const LocaleTemplates& t : BuiltInLocaleTemplates()) {
    for (int kind = 1; v1::ReminderKind_IsValid(kind); ++kind) {
      ReminderRecord r;
      r.data.set_kind(kind);
      r.data.set_session_start_ms(ToMillis(Berlin(2026, 3, 24, 10, 0)));
      r.data.set_next_session_start_ms(ToMillis(Berlin(2026, 3, 31, 10, 0)));
      r.data.set_session_index(1);
      r.data.set_session_count(3);
      r.data.set_maintenance_due_date(20270324);
      r.data.set_rule_code(
          kind == v1::ReminderKind::REMINDER_KIND_FOLLOW_UP ? p.follow_ups(0).code() : "");
      const RenderedMessage m = Render({.reminder = &r,
                                        .protocol = &p,
                                        .locale = t.language(),
                                        .first_name = "Anna",
                                        .clinic = clinic,
                                        .time_zone = BerlinZone()});
      EXPECT_EQ(m.locale, t.language());
      EXPECT_FALSE(m.fell_back) << t.language() << " " << kind;
      EXPECT_FALSE(m.subject.empty()) << t.language() << " " << kind;
      EXPECT_EQ((m.subject + m.body).find_first_of("{}"), std::string::npos)
          << t.language() << " " << kind << ":\n"
          << m.subject << "\n"
          << m.body;
    }
  }
}

}  // namespace
}  // namespace dermaflow::notification
