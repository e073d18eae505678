// Mints the action links of one message at delivery (action_links.h says
// which): one action token per link, for the message's organization and
// appointment, expiring when the appointment starts — a link is worth
// nothing after that (an offer's: for the offer, until its hold ends). A clinic without a patient
// app URL gets no links. When SMS replies are received (a reply book is given), an SMS confirmation
// request gets a confirm and a cancel token instead, noted under the patient's number once the
// message is sent.
//
//   ActionLinkMinter minter(codec, &reply_book);  // nullptr: no SMS replies
//   DF_ASSIGN_OR_RETURN(ActionLinks links, minter.Links(org, record, clinic, channel, now));
//   ... send ...
//   minter.RememberSmsReply(org, phone, record, links);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/action_token.h"
#include "services/notification/domain/action_links.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/store/sms_reply_book.h"

namespace dermaflow::notification {

class ActionLinkMinter {
 public:
  // `codec` and `replies` must outlive this.
  ActionLinkMinter(const common::ActionTokenCodec& codec, SmsReplyBook* replies)
      : codec_(codec), replies_(replies) {}

  // UNAVAILABLE when the tokens' secret cannot be read (Redis down): the
  // caller tries the message again later rather than send it without links.
  absl::StatusOr<ActionLinks> Links(const std::string& org, const ReminderRecord& record,
                                    const ClinicInfo& clinic,
                                    dermaflow::patient::v1::Channel channel, absl::Time now) const;

  // After an SMS with reply tokens went to `phone`: a reply from it now
  // answers this request. No-op for messages without them.
  absl::Status RememberSmsReply(const std::string& org, const std::string& phone,
                                const ReminderRecord& record, const ActionLinks& links) const;

 private:
  absl::StatusOr<std::string> Token(const std::string& org, LinkAction action,
                                    const std::string& subject_id, absl::Time expire) const;

  const common::ActionTokenCodec& codec_;
  SmsReplyBook* replies_;
};

}  // namespace dermaflow::notification
