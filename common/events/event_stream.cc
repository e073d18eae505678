#include "common/events/event_stream.h"

#include <cstdio>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/redis/keys.h"

namespace dermaflow::common {
namespace {

constexpr std::string_view kStreamPrefix = "df:{";
constexpr std::string_view kStreamSuffix = "}:events";

}  // namespace

absl::StatusOr<std::string> StreamKey(std::string_view org) { return TenantKey(org, "events"); }

std::optional<std::string> OrgOfStreamKey(std::string_view key) {
  if (key.size() <= kStreamPrefix.size() + kStreamSuffix.size() ||
      key.substr(0, kStreamPrefix.size()) != kStreamPrefix ||
      key.substr(key.size() - kStreamSuffix.size()) != kStreamSuffix) {
    return std::nullopt;
  }
  std::string org(
      key.substr(kStreamPrefix.size(), key.size() - kStreamPrefix.size() - kStreamSuffix.size()));
  if (!ValidateOrgId(org).ok()) return std::nullopt;
  return org;
}

std::string OrganizationsKey() { return GlobalKey("orgs"); }

std::string NewEventId() {
  // BitGen is seeded from the OS per thread; uniqueness, not secrecy, is what
  // event ids need.
  thread_local absl::BitGen random;
  uint64_t high = absl::Uniform<uint64_t>(random);
  uint64_t low = absl::Uniform<uint64_t>(random);
  high = (high & ~uint64_t{0xF000}) | uint64_t{0x4000};          // version 4
  low = (low & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32, (high >> 16) & 0xFFFF,
                         high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFF);
}

absl::StatusOr<std::string> SealEvent(dermaflow::events::v1::Event& event, const Clock& clock) {
  if (absl::Status status = ValidateOrgId(event.organization()); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("event organization: ", status.message()));
  }
  if (event.payload_case() == dermaflow::events::v1::Event::PAYLOAD_NOT_SET) {
    return absl::InvalidArgumentError("event has no payload");
  }
  if (event.id().empty()) event.set_id(NewEventId());
  if (!event.has_occur_time()) {
    absl::Time now = clock.Now();
    int64_t seconds = absl::ToUnixSeconds(now);  // rounds down, so nanos >= 0
    event.mutable_occur_time()->set_seconds(seconds);
    event.mutable_occur_time()->set_nanos(
        static_cast<int32_t>((now - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  }
  std::string bytes;
  if (!event.SerializeToString(&bytes)) return absl::InternalError("cannot serialize event");
  return bytes;
}

}  // namespace dermaflow::common
