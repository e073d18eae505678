// Which action links (patient_action_service.proto) a message carries, and
// how a link is written: the clinic's patient app URL with the action token
// as query parameter `action`. Pure; the tokens are minted at delivery
// (delivery/action_link_minter.h) and rendered by templates.h.
//
//   for (LinkAction a : LinksFor(kind, channel)) links.Set(a, LinkUrl(app_url, Mint(a)));
#pragma once

#include <string>
#include <vector>

#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::notification {

enum class LinkAction { kConfirm, kCancel, kReschedule, kAcceptOffer, kDeclineOffer };

// The links of one message, full URLs; an empty one is left out.
struct ActionLinks {
  std::string confirm;
  std::string cancel;
  std::string reschedule;
  std::string accept_offer;
  std::string decline_offer;
  // An SMS confirmation request, when replies are received: the tokens a
  // "JA" and a "NEIN" stand for (kept for the reply, never in the text);
  // the message then says how to answer.
  std::string sms_confirm_token;
  std::string sms_cancel_token;

  bool sms_reply_hint() const { return !sms_confirm_token.empty(); }

  void Set(LinkAction action, std::string url);
};

// E-mail and in-app messages get every link of their kind: appointment
// reminders cancel and reschedule, confirmation requests confirm as well,
// offers accept and decline. An SMS, where each link fills a 160-character
// segment, carries only an offer's accept link (there is no other way to
// take it); a confirmation request by SMS is answered by reply.
std::vector<LinkAction> LinksFor(v1::ReminderKind kind, dermaflow::patient::v1::Channel channel);

// Whether a message of `kind` on `channel` is answered by SMS reply (a
// confirmation request by SMS), when replies are received.
bool AnsweredByReply(v1::ReminderKind kind, dermaflow::patient::v1::Channel channel);

// The action name the token carries: the PatientAction enum name without
// its "PATIENT_ACTION_" prefix ("CONFIRM"), to keep links short.
const char* ActionName(LinkAction action);

// `app_url` with `action=<token>` added as a query parameter.
std::string LinkUrl(const std::string& app_url, const std::string& token);

}  // namespace dermaflow::notification
