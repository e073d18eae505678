// The catalog data files (services/protocol/catalog/*.textproto): every file
// in the folder is compiled in, parses, is a valid protocol with every text
// in every catalog language, and uses no placeholders (protocol texts are
// shown as written); broken files are refused with the file and line.
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/protocol/catalog_files.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/protocol_validation.h"
#include "tests/support/source_files.h"

namespace dermaflow::protocol {
namespace {

using ::testing::HasSubstr;

// The languages every catalog text has.
const std::set<std::string> kCatalogLanguages = {"de", "en"};

std::vector<std::pair<std::string, const v1::LocalizedText*>> Texts(const v1::Protocol& p) {
  std::vector<std::pair<std::string, const v1::LocalizedText*>> texts = {
      {"display_name", &p.display_name()},
      {"description", &p.description()},
      {"side_effects_normal", &p.side_effects_normal()},
      {"when_to_call", &p.when_to_call()}};
  for (const auto& f : p.follow_ups()) texts.push_back({"follow_ups " + f.code(), &f.text()});
  for (const auto& r : p.pre_care()) texts.push_back({"pre_care " + r.code(), &r.text()});
  for (const auto& r : p.aftercare()) texts.push_back({"aftercare " + r.code(), &r.text()});
  for (const auto& c : p.contraindications()) {
    texts.push_back({"contraindications " + v1::ContraindicationCode_Name(c.code()), &c.message()});
  }
  for (const auto& i : p.ingredients()) {
    texts.push_back(
        {"ingredients " + patient::v1::AllergySubstance_Name(i.substance()), &i.description()});
  }
  return texts;
}

TEST(CatalogValidationTest, EveryFileInTheFolderIsCompiledIn) {
  std::set<std::string> embedded;
  for (const common::EmbeddedFile& f : CatalogFiles()) embedded.insert(std::string(f.path));
  EXPECT_EQ(embedded, ::dermaflow::testing::FilesInSourceFolder("services/protocol/catalog"))
      << "list every catalog file in services/protocol/CMakeLists.txt";
}

TEST(CatalogValidationTest, EveryFileParsesIntoAValidCompleteProtocol) {
  ASSERT_EQ(BuiltInCatalog().size(), CatalogFiles().size());
  for (const CatalogEntry& e : BuiltInCatalog()) {
    common::FieldViolations violations;
    ValidateProtocol(e.protocol, "protocol", violations);
    EXPECT_TRUE(violations.ToStatus().ok()) << e.key << ": " << violations.ToStatus();
    for (const auto& [field, text] : Texts(e.protocol)) {
      std::set<std::string> languages;
      for (const auto& t : text->translations()) {
        EXPECT_FALSE(t.text().empty()) << e.key << " " << field << " " << t.locale();
        EXPECT_EQ(t.text().find_first_of("{}"), std::string::npos)
            << e.key << " " << field << " " << t.locale() << ": protocol texts are not templates";
        languages.insert(t.locale());
      }
      EXPECT_EQ(languages, kCatalogLanguages) << e.key << " " << field;
    }
  }
}

absl::Status ParseOne(std::string_view path, std::string_view contents) {
  const common::EmbeddedFile files[] = {{path, contents}};
  return ParseCatalog(files).status();
}

TEST(CatalogValidationTest, RefusesBrokenFilesNamingFileAndLine) {
  const std::string_view path = "services/protocol/catalog/x.textproto";
  absl::Status s = ParseOne(path, "category: PROTOCOL_CATEGORY_OTHER\ncolour: 3\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("services/protocol/catalog/x.textproto:2:"));
  EXPECT_THAT(s.message(), HasSubstr("colour"));

  s = ParseOne(path, "id: \"p-1\"\nversion: 3\n");
  EXPECT_THAT(s.message(), HasSubstr("sets fields the service assigns: id, version"));

  s = ParseOne("services/protocol/catalog/Bad-Key.textproto", "");
  EXPECT_THAT(s.message(), HasSubstr("[a-z0-9_]+"));

  const common::EmbeddedFile twice[] = {{path, ""}, {"other/x.textproto", ""}};
  EXPECT_THAT(ParseCatalog(twice).status().message(), HasSubstr("appears twice"));
}

TEST(CatalogValidationTest, ParsedEntriesGetTheirSourceFromTheFileName) {
  const common::EmbeddedFile files[] = {
      {"services/protocol/catalog/peel.textproto", "category: PROTOCOL_CATEGORY_OTHER"}};
  absl::StatusOr<std::vector<CatalogEntry>> entries = ParseCatalog(files);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].key, "peel");
  EXPECT_EQ((*entries)[0].protocol.source().origin(), v1::PROTOCOL_ORIGIN_CATALOG);
  EXPECT_EQ((*entries)[0].protocol.source().catalog_key(), "peel");
  EXPECT_EQ((*entries)[0].protocol.source().catalog_revision(), kCatalogRevision);
}

}  // namespace
}  // namespace dermaflow::protocol
