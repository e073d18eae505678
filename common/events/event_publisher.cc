#include "common/events/event_publisher.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace dermaflow::common {

EventPublisher::EventPublisher(RedisClient& redis, const Clock& clock, EventStreamOptions options)
    : redis_(redis), clock_(clock), options_(options) {}

absl::StatusOr<std::string> EventPublisher::Publish(dermaflow::events::v1::Event event) {
  DF_ASSIGN_OR_RETURN(std::string bytes, SealEvent(event, clock_));
  DF_ASSIGN_OR_RETURN(std::string stream, StreamKey(event.organization()));
  // Registering first: if the XADD then fails, a consumer merely finds an
  // empty stream; the other order could leave events nobody discovers.
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                      redis_.Pipeline({
                          {"SADD", OrganizationsKey(), event.organization()},
                          {"XADD", stream, "MAXLEN", "~", absl::StrCat(options_.max_len), "*",
                           std::string(kEventField), std::move(bytes)},
                      }));
  for (const RedisReply& reply : replies) DF_RETURN_IF_ERROR(reply.ToStatus());
  return event.id();
}

absl::Status EventPublisher::RegisterOrganization(std::string_view org) {
  DF_RETURN_IF_ERROR(ValidateOrgId(org));
  return redis_.Command({"SADD", OrganizationsKey(), std::string(org)}).status();
}

}  // namespace dermaflow::common
