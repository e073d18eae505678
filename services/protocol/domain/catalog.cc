#include "services/protocol/domain/catalog.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/embed/built_in_content.h"
#include "common/embed/text_proto_file.h"
#include "common/status/macros.h"
#include "services/protocol/catalog_files.h"

namespace dermaflow::protocol {
namespace {

// "mesobotox" from ".../mesobotox.textproto"; empty unless [a-z0-9_]+.
std::string KeyOf(const common::EmbeddedFile& file) {
  const std::string_view key = common::TextProtoFileStem(file);
  for (char c : key) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return "";
  }
  return std::string(key);
}

// What the service assigns when it stores a protocol: a catalog file that
// sets one would be overwritten or, worse, copied into every organization.
absl::Status CheckNoServiceFields(const v1::Protocol& p) {
  std::vector<std::string> set;
  if (!p.id().empty()) set.push_back("id");
  if (p.version() != 0) set.push_back("version");
  if (p.has_source()) set.push_back("source");
  if (p.archived()) set.push_back("archived");
  if (!p.change_note().empty()) set.push_back("change_note");
  if (!p.etag().empty()) set.push_back("etag");
  if (p.has_create_time()) set.push_back("create_time");
  if (p.has_update_time()) set.push_back("update_time");
  if (!p.updated_by().empty()) set.push_back("updated_by");
  if (set.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("sets fields the service assigns: ", absl::StrJoin(set, ", ")));
}

absl::StatusOr<CatalogEntry> ParseEntry(const common::EmbeddedFile& file) {
  CatalogEntry entry;
  entry.key = KeyOf(file);
  if (entry.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(file.path), ": name must be <key>.textproto with a key of [a-z0-9_]+"));
  }
  DF_RETURN_IF_ERROR(common::ParseTextProtoFile(file, entry.protocol));
  if (absl::Status s = CheckNoServiceFields(entry.protocol); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(file.path), ": ", s.message()));
  }
  auto* source = entry.protocol.mutable_source();
  source->set_origin(v1::PROTOCOL_ORIGIN_CATALOG);
  source->set_catalog_key(entry.key);
  source->set_catalog_revision(kCatalogRevision);
  return entry;
}

}  // namespace

absl::StatusOr<std::vector<CatalogEntry>> ParseCatalog(
    std::span<const common::EmbeddedFile> files) {
  DF_ASSIGN_OR_RETURN(std::vector<CatalogEntry> entries,
                      common::ParseEach<CatalogEntry>(files, ParseEntry));
  for (size_t i = 0; i < entries.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (entries[j].key == entries[i].key) {
        return absl::InvalidArgumentError(absl::StrCat(
            std::string(files[i].path), ": catalog key \"", entries[i].key, "\" appears twice"));
      }
    }
  }
  return entries;
}

const std::vector<CatalogEntry>& BuiltInCatalog() {
  // catalog_validation_test loads every file, so this cannot fail in a tested build.
  static const auto* const kCatalog =
      new std::vector<CatalogEntry>(common::LoadedOrDie(ParseCatalog(CatalogFiles()), "catalog"));
  return *kCatalog;
}

const CatalogEntry* FindCatalogEntry(std::string_view key) {
  for (const auto& e : BuiltInCatalog()) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace dermaflow::protocol
