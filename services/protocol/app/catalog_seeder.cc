#include "services/protocol/app/catalog_seeder.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/protocol/domain/catalog.h"
#include "services/protocol/domain/protocol_versions.h"

namespace dermaflow::protocol {
namespace {

constexpr char kCatalogActor[] = "catalog";

}  // namespace

bool CatalogSeeder::KnownSeeded(std::string_view org) const {
  absl::MutexLock lock(&mu_);
  return seeded_.contains(std::string(org));
}

void CatalogSeeder::RememberSeeded(std::string_view org) {
  absl::MutexLock lock(&mu_);
  seeded_.insert(std::string(org));
}

absl::Status CatalogSeeder::EnsureSeeded(std::string_view org) {
  if (KnownSeeded(org)) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(int revision, store_.SeededRevision(org));
  if (revision < kCatalogRevision) {
    DF_RETURN_IF_ERROR(Seed(org, {}).status());
  }
  RememberSeeded(org);
  return absl::OkStatus();
}

absl::StatusOr<v1::SeedCatalogResponse> CatalogSeeder::Seed(
    std::string_view org, const google::protobuf::RepeatedPtrField<std::string>& keys) {
  std::vector<const CatalogEntry*> entries;
  if (keys.empty()) {
    for (const auto& e : BuiltInCatalog()) entries.push_back(&e);
  } else {
    common::FieldViolations violations;
    for (int i = 0; i < keys.size(); ++i) {
      const CatalogEntry* e = FindCatalogEntry(keys[i]);
      if (e == nullptr) {
        violations.Add(absl::StrCat("catalog_keys[", i, "]"), "is not a built-in catalog key");
      } else if (std::find(entries.begin(), entries.end(), e) == entries.end()) {
        entries.push_back(e);
      }
    }
    DF_RETURN_IF_ERROR(violations.ToStatus());
  }

  const VersionStamp stamp{clock_.Now(), kCatalogActor};
  std::vector<v1::Protocol> first_versions;
  first_versions.reserve(entries.size());
  for (const CatalogEntry* e : entries) {
    first_versions.push_back(
        FirstVersion(e->protocol, NewProtocolId(), e->protocol.source(), stamp));
  }
  const bool whole_catalog = entries.size() == BuiltInCatalog().size();
  DF_ASSIGN_OR_RETURN(std::vector<SeedResult> results,
                      store_.Seed(org, first_versions, whole_catalog ? kCatalogRevision : 0));

  v1::SeedCatalogResponse response;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].created) {
      *response.add_created() = first_versions[i];
    } else {
      response.add_existing_protocol_ids(results[i].id);
    }
  }
  if (whole_catalog) RememberSeeded(org);
  if (response.created_size() > 0) {
    common::LogInfo("catalog seeded", {{"org", std::string(org)},
                                       {"created", absl::StrCat(response.created_size())},
                                       {"catalog_revision", absl::StrCat(kCatalogRevision)}});
  }
  return response;
}

}  // namespace dermaflow::protocol
