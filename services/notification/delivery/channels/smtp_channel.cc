#include "services/notification/delivery/channels/smtp_channel.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/channels/email_format.h"

namespace dermaflow::notification {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data->size() - upload->offset);
  // libcurl reads exactly n bytes of body; it is not a C string.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::string_view TlsLabel(SmtpTls tls) {
  switch (tls) {
    case SmtpTls::kNone:
      return "none";
    case SmtpTls::kStartTls:
      return "starttls";
    case SmtpTls::kImplicit:
      return "implicit";
  }
  return "none";
}

// libcurl's result and the server's last reply, as channel_errors.h errors.
// Texts name the server's problem, never the recipient.
absl::Status MapSmtpError(CURLcode code, long reply, const char* detail) {
  using absl::StatusCode;
  const std::string curl_text = detail[0] ? detail : curl_easy_strerror(code);
  if (code == CURLE_USE_SSL_FAILED) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kTls, reply,
                        "smtp: the server does not offer STARTTLS but TLS is required "
                        "(certificate/TLS configuration of the mail server)");
  }
  if (common::IsCurlTlsError(code)) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kTls, reply,
                        absl::StrCat("smtp: TLS failed, server certificate not accepted or "
                                     "handshake error (check --smtp_ca_file): ",
                                     curl_text));
  }
  // 530 authentication required, 534/538 mechanism or encryption needed,
  // 535 credentials invalid: our configuration, not the message.
  if (code == CURLE_LOGIN_DENIED || reply == 530 || reply == 534 || reply == 535 || reply == 538) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kAuth, reply,
                        absl::StrCat("smtp: authentication refused or required (reply ", reply,
                                     "; check --smtp_user and --smtp_password_file)"));
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kTimeout, reply,
                        "smtp: timed out");
  }
  if (reply >= 500 && reply < 600) {
    return ChannelError(StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, reply,
                        absl::StrCat("smtp: the server rejected the message (reply ", reply, ")"));
  }
  if (reply >= 400 && reply < 500) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kThrottled, reply,
                        absl::StrCat("smtp: the server deferred the message (reply ", reply, ")"));
  }
  return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kUnavailable, reply,
                      absl::StrCat("smtp: ", curl_easy_strerror(code), " (reply ", reply, ")"));
}

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options)
    : options_(std::move(options)), plan_(PlanSmtp(options_)) {
  if (!plan_.ok()) {
    common::LogError("smtp channel misconfigured",
                     {{"error", std::string(plan_.status().message())}});
    return;
  }
  common::LogInfo("smtp channel", {{"server", plan_->endpoint.CurlUrl()},
                                   {"tls", std::string(TlsLabel(plan_->tls))},
                                   {"auth", plan_->auth ? "yes" : "no"},
                                   {"ca", options_.ca_file.empty() ? "system" : options_.ca_file}});
  if (plan_->plaintext_to_remote) {
    common::LogWarning(
        "smtp: --smtp_insecure_plaintext: e-mail to a non-loopback server travels "
        "unencrypted (development only)",
        {{"server", plan_->endpoint.CurlUrl()}});
  }
}

absl::Status SmtpChannel::Send(const OutgoingMessage& m) {
  if (!plan_.ok()) {
    return ChannelError(absl::StatusCode::kUnavailable, ChannelErrorReason::kConfig, 0,
                        absl::StrCat("smtp: ", plan_.status().message()));
  }
  if (m.address.empty() || m.address.find_first_of("<>\r\n ") != std::string::npos ||
      m.address.find('@') == std::string::npos) {
    return ChannelError(absl::StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, 0,
                        "smtp: e-mail address missing or malformed");
  }
  common::CurlHandles::Lease curl = handles_.Acquire();
  if (!curl.get()) return absl::ResourceExhaustedError("smtp: no curl handle");
  const std::string email = FormatEmail(m, options_.from);
  Upload upload{&email};
  const std::string url = plan_->endpoint.CurlUrl();
  const std::string mail_from = absl::StrCat("<", plan_->from_address, ">");
  const std::string rcpt = absl::StrCat("<", m.address, ">");
  curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
  curl_slist* resolve = nullptr;
  for (const std::string& entry : options_.resolve)
    resolve = curl_slist_append(resolve, entry.c_str());
  char detail[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  if (resolve) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
  common::SetCurlTimeouts(h, options_.timeout);
  if (plan_->tls != SmtpTls::kNone) {
    common::SetCurlTlsVerification(h, options_.ca_file);
    if (plan_->tls == SmtpTls::kStartTls) {
      curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
  } else {
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
  }
  if (plan_->auth) {  // PlanSmtp guarantees TLS here
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(h);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(recipients);
  curl_slist_free_all(resolve);
  if (code == CURLE_OK) return absl::OkStatus();
  return MapSmtpError(code, reply, detail);
}

}  // namespace dermaflow::notification
