#include "services/notification/domain/action_links.h"

#include "absl/strings/str_cat.h"

namespace dermaflow::notification {

using dermaflow::patient::v1::Channel;

void ActionLinks::Set(LinkAction action, std::string url) {
  switch (action) {
    case LinkAction::kConfirm:
      confirm = std::move(url);
      break;
    case LinkAction::kCancel:
      cancel = std::move(url);
      break;
    case LinkAction::kReschedule:
      reschedule = std::move(url);
      break;
    case LinkAction::kAcceptOffer:
      accept_offer = std::move(url);
      break;
    case LinkAction::kDeclineOffer:
      decline_offer = std::move(url);
      break;
  }
}

std::vector<LinkAction> LinksFor(v1::ReminderKind kind, Channel channel) {
  if (channel == Channel::CHANNEL_SMS) {
    if (kind == v1::REMINDER_KIND_WAITLIST_OFFER) return {LinkAction::kAcceptOffer};
    return {};
  }
  switch (kind) {
    case v1::REMINDER_KIND_APPOINTMENT:
      return {LinkAction::kCancel, LinkAction::kReschedule};
    case v1::REMINDER_KIND_CONFIRMATION_REQUEST:
      return {LinkAction::kConfirm, LinkAction::kCancel, LinkAction::kReschedule};
    case v1::REMINDER_KIND_WAITLIST_OFFER:
      return {LinkAction::kAcceptOffer, LinkAction::kDeclineOffer};
    default:
      return {};
  }
}

bool AnsweredByReply(v1::ReminderKind kind, Channel channel) {
  return kind == v1::REMINDER_KIND_CONFIRMATION_REQUEST && channel == Channel::CHANNEL_SMS;
}

const char* ActionName(LinkAction action) {
  switch (action) {
    case LinkAction::kConfirm:
      return "CONFIRM";
    case LinkAction::kCancel:
      return "CANCEL";
    case LinkAction::kReschedule:
      return "REQUEST_RESCHEDULE";
    case LinkAction::kAcceptOffer:
      return "ACCEPT_OFFER";
    case LinkAction::kDeclineOffer:
      return "DECLINE_OFFER";
  }
  return "UNSPECIFIED";
}

std::string LinkUrl(const std::string& app_url, const std::string& token) {
  // Tokens are web-safe base64: nothing in them needs escaping in a query.
  return absl::StrCat(app_url, app_url.find('?') == std::string::npos ? "?" : "&",
                      "action=", token);
}

}  // namespace dermaflow::notification
