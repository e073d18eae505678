// Test support: a patient's SMS reply as the provider (Twilio) posts it to
// notification's /v1/sms/replies — form-encoded From, To, Body,
// MessageSid, signed with X-Twilio-Signature under the auth token over the
// public URL configured at the provider.
//
//   long status = PostSmsReply(port, {.auth_token = "t", .public_url = url,
//                                     .from = "+4917612345678", .text = "JA"});
#pragma once

#include <string>

namespace dermaflow::testing {

struct SmsReply {
  std::string auth_token;
  std::string public_url;
  std::string from;
  std::string text;
  // The provider's MessageSid; empty: a fresh one for every post.
  std::string message_id = "";
};

// The HTTP status notification answered (0 when nothing answered).
long PostSmsReply(int port, const SmsReply& reply);

}  // namespace dermaflow::testing
