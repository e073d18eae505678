// Where protocol versions live. The handlers and the catalog seeder use this
// interface; redis_protocol_store.h is the implementation. Every method is
// scoped to one organization (the caller's), and ids of another organization
// are simply not found.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::protocol {

// ListProtocols: latest versions ordered by category, then id.
struct ProtocolQuery {
  v1::ProtocolCategory category = v1::PROTOCOL_CATEGORY_UNSPECIFIED;  // any
  v1::TreatmentArea area = v1::TREATMENT_AREA_UNSPECIFIED;            // any
  v1::ProtocolOrigin origin = v1::PROTOCOL_ORIGIN_UNSPECIFIED;        // any
  bool show_archived = false;
  std::string after;  // position of the previous page's last protocol; "" = start
  int page_size = 50;
};

struct ProtocolPage {
  std::vector<v1::Protocol> protocols;
  std::string next_after;  // "" when this is the last page
};

struct VersionPage {
  std::vector<v1::Protocol> versions;  // newest first
  int64_t next_version = 0;            // 0 when this is the last page
};

// CreateProtocol's outcome under its request id.
struct CreateResult {
  std::string id;           // the protocol created under the request id
  std::string fingerprint;  // of the request that created it
};

// One catalog entry after seeding.
struct SeedResult {
  std::string catalog_key;
  std::string id;
  bool created = false;  // false: the organization already had it
};

class ProtocolStore {
 public:
  virtual ~ProtocolStore() = default;

  // The secret the API's page tokens are sealed under (common/api/page_token.h).
  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;

  // Version `version` of a protocol (0: the latest). NOT_FOUND with
  // protocol_errors.h details.
  virtual absl::StatusOr<v1::Protocol> Get(std::string_view org, std::string_view id,
                                           int64_t version) = 0;

  virtual absl::StatusOr<ProtocolPage> List(std::string_view org, const ProtocolQuery& query) = 0;

  // Versions `from_version` (0: the latest) downwards. NOT_FOUND for an
  // unknown protocol.
  virtual absl::StatusOr<VersionPage> ListVersions(std::string_view org, std::string_view id,
                                                   int64_t from_version, int page_size) = 0;

  // Stores `first` (version 1) unless `request_id` was used before; either
  // way returns the id and request fingerprint recorded under request_id.
  virtual absl::StatusOr<CreateResult> Create(std::string_view org, const v1::Protocol& first,
                                              std::string_view request_id,
                                              std::string_view fingerprint) = 0;

  // Stores `next` as the new latest version iff the latest is still
  // next.version() - 1: ABORTED (ETAG_MISMATCH) otherwise, NOT_FOUND for an
  // unknown protocol.
  virtual absl::Status AddVersion(std::string_view org, const v1::Protocol& next) = 0;

  // Atomically stores each of `first_versions` (catalog entries, named by
  // source.catalog_key) the organization does not have yet, and, when
  // `mark_revision` > 0, records that the organization has that catalog
  // revision.
  virtual absl::StatusOr<std::vector<SeedResult>> Seed(
      std::string_view org, const std::vector<v1::Protocol>& first_versions, int mark_revision) = 0;

  // The catalog revision the organization was fully seeded with; 0 = never.
  virtual absl::StatusOr<int> SeededRevision(std::string_view org) = 0;
};

}  // namespace dermaflow::protocol
