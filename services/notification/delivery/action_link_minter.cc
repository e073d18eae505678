#include "services/notification/delivery/action_link_minter.h"

#include "common/status/macros.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

absl::StatusOr<std::string> ActionLinkMinter::Token(const std::string& org, LinkAction action,
                                                    const std::string& appointment_id,
                                                    absl::Time expire) const {
  return codec_.Mint({.organization = org,
                      .action = ActionName(action),
                      .subject_id = appointment_id,
                      .expire_time = expire});
}

absl::StatusOr<ActionLinks> ActionLinkMinter::Links(const std::string& org,
                                                    const ReminderRecord& record,
                                                    const ClinicInfo& clinic,
                                                    dermaflow::patient::v1::Channel channel,
                                                    absl::Time now) const {
  ActionLinks links;
  const internal::StoredReminder& d = record.data;
  // An offer's links are about the offer and end with its hold; the others
  // are about the appointment and end when it starts.
  const bool offer = KindOf(d) == v1::REMINDER_KIND_WAITLIST_OFFER;
  const std::string& subject = offer ? d.offer_id() : d.appointment_id();
  const absl::Time expire = FromMillis(offer ? d.hold_until_ms() : d.session_start_ms());
  if (subject.empty() || expire <= now) return links;
  if (replies_ != nullptr && AnsweredByReply(KindOf(d), channel)) {
    DF_ASSIGN_OR_RETURN(links.sms_confirm_token, Token(org, LinkAction::kConfirm, subject, expire));
    DF_ASSIGN_OR_RETURN(links.sms_cancel_token, Token(org, LinkAction::kCancel, subject, expire));
  }
  if (clinic.patient_app_url.empty()) return links;
  for (LinkAction action : LinksFor(KindOf(d), channel)) {
    DF_ASSIGN_OR_RETURN(const std::string token, Token(org, action, subject, expire));
    links.Set(action, LinkUrl(clinic.patient_app_url, token));
  }
  return links;
}

absl::Status ActionLinkMinter::RememberSmsReply(const std::string& org, const std::string& phone,
                                                const ReminderRecord& record,
                                                const ActionLinks& links) const {
  if (replies_ == nullptr || !links.sms_reply_hint()) return absl::OkStatus();
  return replies_->Remember(phone, {org, links.sms_confirm_token, links.sms_cancel_token},
                            FromMillis(record.data.session_start_ms()));
}

}  // namespace dermaflow::notification
