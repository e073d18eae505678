// The built-in protocol catalog: the six treatments of the clinic seeds
// (docs/protocol.md has the table with a seed reference for every fact). Every
// organization gets a copy on first use (catalog_seeder.h) and may edit it.
// The entries are data, not code: one `dermaflow.protocol.v1.Protocol` in
// text format per file in services/protocol/catalog/, compiled in at build
// time; values the seeds do not state are marked "assumed" there and are
// ordinary editable defaults.
//
//   const CatalogEntry* e = FindCatalogEntry("collagen_injection");
//   e->protocol.follow_ups(0).offset();  // 7 days
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/embed/embedded_file.h"
#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::protocol {

// Bumped when an entry changes or a new one is added; organizations seeded
// from an older revision get the new entries on their next call (existing
// ones are never touched, since the clinic may have edited them).
inline constexpr int kCatalogRevision = 1;

struct CatalogEntry {
  std::string key;  // stable, e.g. "mesotherapy_hydralift": the file's name
  // A complete, valid protocol without id, version, times, etag and
  // updated_by; `source` names the catalog entry.
  v1::Protocol protocol;
};

// The catalog in its display order (the order of DOMAIN.md's table, which is
// the order services/protocol/CMakeLists.txt lists the files in). Parsed on
// first use; a file that does not parse stops the process (the unit tests
// parse every file, so a binary that passed them cannot).
const std::vector<CatalogEntry>& BuiltInCatalog();

// Parses catalog files (`<key>.textproto`, text format of v1.Protocol) and
// adds the `source` every entry gets. INVALID_ARGUMENT naming the file and
// line when one does not parse, has a key that is not [a-z0-9_]+ or twice,
// or sets a field the service assigns (id, version, etag, times, updated_by,
// source, change_note, archived).
absl::StatusOr<std::vector<CatalogEntry>> ParseCatalog(std::span<const common::EmbeddedFile> files);

// nullptr when `key` is not a catalog key.
const CatalogEntry* FindCatalogEntry(std::string_view key);

}  // namespace dermaflow::protocol
