// Mints the action links of one message at delivery (action_links.h says
// which): one action token per link, for the message's organization and
// appointment, expiring when the appointment starts — a link is worth
// nothing after that. A clinic without a patient app URL gets no links.
//
//   ActionLinkMinter minter(codec);
//   DF_ASSIGN_OR_RETURN(ActionLinks links, minter.Links(org, record, clinic, channel, now));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/action_token.h"
#include "services/notification/domain/action_links.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

class ActionLinkMinter {
 public:
  // `codec` must outlive this.
  explicit ActionLinkMinter(const common::ActionTokenCodec& codec) : codec_(codec) {}

  // UNAVAILABLE when the tokens' secret cannot be read (Redis down): the
  // caller tries the message again later rather than send it without links.
  absl::StatusOr<ActionLinks> Links(const std::string& org, const ReminderRecord& record,
                                    const ClinicInfo& clinic,
                                    dermaflow::patient::v1::Channel channel, absl::Time now) const;

 private:
  const common::ActionTokenCodec& codec_;
};

}  // namespace dermaflow::notification
