#include "services/notification/delivery/channels/twilio_sms_channel.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/domain/form_encoding.h"
#include "services/notification/domain/idempotency_key.h"

namespace dermaflow::notification {
namespace {

bool IsE164(absl::string_view number) {
  if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
  for (char c : number.substr(1)) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// What we say about a provider code (never the provider's own message).
absl::string_view DescribeCode(int code) {
  switch (code) {
    case 21211:
      return "invalid 'To' number";
    case 21408:
      return "region not enabled for this account";
    case 21610:
      return "recipient unsubscribed (STOP)";
    case 21612:
      return "number not reachable from this sender";
    case 21614:
      return "'To' is not a mobile number";
    case 20003:
      return "authentication failed";
    case 20429:
      return "too many requests";
    default:
      return "";
  }
}

}  // namespace

absl::Status CheckTwilioOptions(const TwilioSmsOptions& o) {
  if (o.account_sid.empty()) {
    return absl::InvalidArgumentError(
        "--sms_twilio_account_sid: required for --sms_provider=twilio");
  }
  for (char c : o.account_sid) {
    if (!absl::ascii_isalnum(c)) {
      return absl::InvalidArgumentError("--sms_twilio_account_sid: letters and digits only");
    }
  }
  if (o.auth_token.empty()) {
    return absl::InvalidArgumentError(
        "--sms_twilio_auth_token_file: required for --sms_provider=twilio");
  }
  if (o.from.empty() == o.messaging_service_sid.empty()) {
    return absl::InvalidArgumentError(
        "--sms_from: give exactly one of --sms_from (E.164 sender) and "
        "--sms_twilio_messaging_service_sid");
  }
  if (!o.from.empty() && !IsE164(o.from)) {
    return absl::InvalidArgumentError("--sms_from: needs an E.164 number such as +4930901820");
  }
  return CheckHttpUrl("sms_twilio_base_url", o.base_url, /*allow_remote_http=*/false);
}

std::string TwilioForm(const OutgoingMessage& m, const TwilioSmsOptions& o) {
  std::string form = absl::StrCat("To=", FormEscape(m.address));
  if (!o.messaging_service_sid.empty()) {
    absl::StrAppend(&form, "&MessagingServiceSid=", FormEscape(o.messaging_service_sid));
  } else {
    absl::StrAppend(&form, "&From=", FormEscape(o.from));
  }
  absl::StrAppend(&form, "&Body=", FormEscape(m.body));
  return form;
}

int TwilioErrorCode(absl::string_view body) {
  const size_t key = body.find("\"code\"");
  if (key == absl::string_view::npos) return 0;
  absl::string_view rest = body.substr(key + 6);
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (!absl::ConsumePrefix(&rest, ":")) return 0;
  rest = absl::StripLeadingAsciiWhitespace(rest);
  size_t n = 0;
  while (n < rest.size() && absl::ascii_isdigit(rest[n])) ++n;
  int code = 0;
  if (n == 0 || n > 9 || !absl::SimpleAtoi(rest.substr(0, n), &code)) return 0;
  return code;
}

absl::Status MapTwilioAnswer(long http, int code) {
  using absl::StatusCode;
  if (http >= 200 && http < 300) return absl::OkStatus();
  std::string what = absl::StrCat("HTTP ", http);
  if (code != 0) absl::StrAppend(&what, ", code ", code);
  if (!DescribeCode(code).empty()) absl::StrAppend(&what, ": ", DescribeCode(code));
  const int status = static_cast<int>(http);
  if (http == 401 || http == 403) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kAuth, status,
                        absl::StrCat("SMS provider refused credentials (", what,
                                     "); check --sms_twilio_account_sid and "
                                     "--sms_twilio_auth_token_file"),
                        code);
  }
  if (http == 429) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kThrottled, status,
                        absl::StrCat("SMS provider throttled us (", what, ")"), code);
  }
  if (http == 408 || http >= 500) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kUnavailable, status,
                        absl::StrCat("SMS provider unavailable (", what, ")"), code);
  }
  return ChannelError(StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, status,
                      absl::StrCat("SMS provider rejected the message (", what, ")"), code);
}

absl::Status TwilioSmsChannel::Send(const OutgoingMessage& m) {
  if (!IsE164(m.address)) {
    return ChannelError(absl::StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, 0,
                        "sms: phone number missing or not E.164");
  }
  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string key = IdempotencyKey(m.organization, m.reminder_id);
  const common::HttpExchange answer = common::HttpPost(
      handles_,
      {.url = absl::StrCat(base, "/2010-04-01/Accounts/", options_.account_sid, "/Messages.json"),
       .content_type = "application/x-www-form-urlencoded",
       .body = TwilioForm(m, options_),
       .headers = {"Accept: application/json", absl::StrCat("I-Twilio-Idempotency-Token: ", key),
                   absl::StrCat("Idempotency-Key: ", key)},
       .timeout = options_.timeout,
       .basic_auth_user = options_.account_sid,
       .basic_auth_password = options_.auth_token,
       .max_answer_bytes = size_t{64} * 1024});  // enough for Twilio's error JSON
  if (answer.code != CURLE_OK) return MapHttpAnswer("SMS provider", answer.code, 0);
  return MapTwilioAnswer(answer.http, answer.http >= 300 ? TwilioErrorCode(answer.answer) : 0);
}

}  // namespace dermaflow::notification
