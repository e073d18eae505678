#include "services/protocol/domain/protocol_versions.h"

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/update_mask.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/proto_time.h"
#include "services/protocol/domain/protocol_validation.h"

namespace dermaflow::protocol {
namespace {

using google::protobuf::FieldMask;

// What UpdateProtocol may change; everything else (id, version, category,
// source, etag, times, updated_by) is the server's or immutable. Sub-paths
// reach into the two small plain messages; repeated fields and
// LocalizedTexts are replaced as a whole.
const common::UpdatableFields kUpdatable{
    .paths = {"display_name", "description", "areas", "session_duration", "course_plan",
              "course_plan.*", "follow_ups", "maintenance", "maintenance.*", "ingredients",
              "contraindications", "pre_care", "aftercare", "aftercare_check_in_offset",
              "side_effects_normal", "when_to_call", "requires_physician", "archived",
              "change_note"}};

}  // namespace

std::string NewProtocolId() {
  static constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  thread_local absl::BitGen gen;
  std::string id(20, '0');
  for (char& c : id) c = kAlphabet[absl::Uniform<size_t>(gen, 0, kAlphabet.size())];
  return id;
}

std::string EtagForVersion(int64_t version) { return absl::StrCat("v", version); }

int64_t VersionFromEtag(std::string_view etag) {
  int64_t version = 0;
  if (etag.size() < 2 || etag[0] != 'v' ||
      !absl::SimpleAtoi(absl::string_view(etag.data() + 1, etag.size() - 1), &version) ||
      version < 1) {
    return -1;
  }
  return version;
}

v1::Protocol WithoutServerFields(v1::Protocol protocol) {
  protocol.clear_id();
  protocol.clear_version();
  protocol.clear_source();
  protocol.clear_etag();
  protocol.clear_create_time();
  protocol.clear_update_time();
  protocol.clear_updated_by();
  return protocol;
}

v1::Protocol FirstVersion(const v1::Protocol& protocol, std::string_view id,
                          const v1::ProtocolSource& source, const VersionStamp& stamp) {
  v1::Protocol result = WithoutServerFields(protocol);
  result.set_id(std::string(id));
  result.set_version(1);
  *result.mutable_source() = source;
  result.mutable_source()->set_modified(false);
  result.set_etag(EtagForVersion(1));
  *result.mutable_create_time() = common::ToTimestamp(stamp.time);
  *result.mutable_update_time() = common::ToTimestamp(stamp.time);
  result.set_updated_by(stamp.actor);
  return result;
}

absl::StatusOr<v1::Protocol> NextVersion(const v1::Protocol& latest, const v1::Protocol& changes,
                                         const FieldMask& mask, const VersionStamp& stamp) {
  v1::Protocol next = latest;
  DF_RETURN_IF_ERROR(common::ApplyUpdateMask(changes, mask, kUpdatable, next));
  next.set_change_note(changes.change_note());  // never carried over

  common::FieldViolations violations;
  ValidateProtocol(next, "protocol", violations);
  DF_RETURN_IF_ERROR(violations.ToStatus());

  next.set_version(latest.version() + 1);
  next.set_etag(EtagForVersion(next.version()));
  *next.mutable_update_time() = common::ToTimestamp(stamp.time);
  next.set_updated_by(stamp.actor);
  next.mutable_source()->set_modified(latest.source().origin() == v1::PROTOCOL_ORIGIN_CATALOG);
  return next;
}

}  // namespace dermaflow::protocol
