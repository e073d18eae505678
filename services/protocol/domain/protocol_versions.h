// How protocol versions are made. Versions are immutable: CreateProtocol and
// the catalog make version 1, every UpdateProtocol makes latest + 1 from the
// latest version with the update mask applied. Pure: the caller stores the
// result (atomically checking that `latest` is still the latest).
//
//   DF_ASSIGN_OR_RETURN(v1::Protocol next,
//                       NextVersion(latest, request.protocol(), request.update_mask(),
//                                   {clock.Now(), caller.subject}));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace dermaflow::protocol {

// Who made a version and when.
struct VersionStamp {
  absl::Time time;
  std::string actor;  // the caller's subject, or "catalog"
};

// A fresh protocol id: 20 random characters of [0-9a-z] (about 103 bits).
std::string NewProtocolId();

// The etag of a version. Versions never change, so the version number is
// all an etag has to say; the "v" keeps clients from doing arithmetic on it.
std::string EtagForVersion(int64_t version);

// The version an etag names, or -1 when it is not one of ours.
int64_t VersionFromEtag(std::string_view etag);

// `protocol` without the fields the server owns (id, version, source, etag,
// times, updated_by): what a client actually asked for.
v1::Protocol WithoutServerFields(v1::Protocol protocol);

// Version 1 of `protocol` (whose client-settable fields are kept and whose
// output-only ones are replaced) under `id`, from `source`.
v1::Protocol FirstVersion(const v1::Protocol& protocol, std::string_view id,
                          const v1::ProtocolSource& source, const VersionStamp& stamp);

// Version latest+1: `latest` with the fields named in `mask` taken from
// `changes` (AIP-134: a field in the mask but unset in `changes` is cleared;
// "*" means every updatable field), `changes.change_note()` as its note.
// INVALID_ARGUMENT naming "update_mask" for an empty mask or a path that is
// unknown or not updatable, or naming each invalid field of the result
// ("protocol.course_plan.interval").
absl::StatusOr<v1::Protocol> NextVersion(const v1::Protocol& latest, const v1::Protocol& changes,
                                         const google::protobuf::FieldMask& mask,
                                         const VersionStamp& stamp);

}  // namespace dermaflow::protocol
