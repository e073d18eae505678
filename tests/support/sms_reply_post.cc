#include "tests/support/sms_reply_post.h"

#include <unistd.h>

#include <atomic>
#include <map>

#include "common/http/http_post.h"
#include "services/notification/domain/form_encoding.h"
#include "services/notification/inbound/sms_reply.h"

namespace dermaflow::testing {

long PostSmsReply(int port, const SmsReply& reply) {
  static std::atomic<int> posts{0};
  const std::string message_id =
      reply.message_id.empty() ? "SM" + std::to_string(getpid()) + "x" + std::to_string(++posts)
                               : reply.message_id;
  const std::map<std::string, std::string> form = {{"From", reply.from},
                                                   {"To", "+4930555000"},
                                                   {"Body", reply.text},
                                                   {"MessageSid", message_id}};
  std::string body;
  for (const auto& [name, value] : form) {
    if (!body.empty()) body += "&";
    body += name + "=" + notification::FormEscape(value);
  }
  common::CurlHandles handles;
  const common::HttpExchange answer = common::HttpPost(
      handles, {.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/sms/replies",
                .content_type = "application/x-www-form-urlencoded",
                .body = body,
                .headers = {"X-Twilio-Signature: " + notification::TwilioSignature(
                                                         reply.auth_token, reply.public_url, form)},
                .timeout = absl::Seconds(10)});
  return answer.http;
}

}  // namespace dermaflow::testing
