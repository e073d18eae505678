// The built-in protocol catalog: the six treatments of the clinic seeds
// (docs/protocol.md has the table with a seed reference for every fact). Every
// organization gets a copy on first use (catalog_seeder.h) and may edit it;
// values the seeds do not state are marked "assumed" where they are set and
// are ordinary editable defaults.
//
//   const CatalogEntry* e = FindCatalogEntry("collagen_injection");
//   e->protocol.follow_ups(0).offset();  // 7 days
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::protocol {

// Bumped when an entry changes or a new one is added; organizations seeded
// from an older revision get the new entries on their next call (existing
// ones are never touched, since the clinic may have edited them).
inline constexpr int kCatalogRevision = 1;

struct CatalogEntry {
  std::string key;  // stable, e.g. "mesotherapy_hydralift"
  // A complete, valid protocol without id, version, times, etag and
  // updated_by; `source` names the catalog entry.
  v1::Protocol protocol;
};

// The catalog in its display order (the order of DOMAIN.md's table).
const std::vector<CatalogEntry>& BuiltInCatalog();

// nullptr when `key` is not a catalog key.
const CatalogEntry* FindCatalogEntry(std::string_view key);

}  // namespace dermaflow::protocol
