// Inbound SMS replies, the pure part: the provider's form post, its
// signature, and what a patient's answer means. A reply is matched to the
// last confirmation request sent to the number (sms_reply_book.h); the words
// are German and English, first word only, case and punctuation ignored:
//   confirm: JA, J, YES, Y, OK, OKAY, 1, BESTÄTIGEN, CONFIRM
//   cancel:  NEIN, ABSAGEN, STORNO, CANCEL; and N, NO, C, 2 only as the
//            whole answer ("No problem" is not a cancel)
// Anything else (including STOP, which the provider handles) is no action.
//
//   std::map<std::string, std::string> form = ParseForm(body);
//   if (!TwilioSignatureValid(auth_token, public_url, form, header)) return 403;
//   ReplyIntent intent = IntentOf(form["Body"]);
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "services/notification/domain/form_encoding.h"  // ParseForm

namespace dermaflow::notification {

enum class ReplyIntent { kConfirm, kCancel, kNone };

ReplyIntent IntentOf(std::string_view text);

// Twilio's X-Twilio-Signature: base64 HMAC-SHA1 under the auth token of the
// URL Twilio posted to followed by every parameter name and value, sorted
// by name.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::map<std::string, std::string>& form);
// Compared in constant time; false without an auth token.
bool TwilioSignatureValid(std::string_view auth_token, std::string_view url,
                          const std::map<std::string, std::string>& form,
                          std::string_view signature);

// The webhook provider's X-Dermaflow-Signature over the raw body
// (domain/webhook_signature.h, as our outgoing webhook signs).
bool WebhookSignatureValid(std::string_view secret, std::string_view body,
                           std::string_view signature);

}  // namespace dermaflow::notification
