// E-mail over SMTP with libcurl: a plain-text UTF-8 message (base64 body,
// RFC 2047 subject) whose Message-ID is derived from the reminder id, so a
// redelivered reminder is recognizable as the same message.
//
//   SmtpChannel email({.url = "smtp://mail.clinic.example:587",
//                      .from = "Dermaflow <noreply@clinic.example>"});
//   email.Send(message);
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/notification/channel.h"
#include "services/notification/curl_handles.h"

namespace dermaflow::notification {

struct SmtpOptions {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // "Name <address>" or a bare address
  std::string username;  // optional AUTH
  std::string password;
  absl::Duration timeout = absl::Seconds(20);
};

class SmtpChannel : public Channel {
 public:
  explicit SmtpChannel(SmtpOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "email"; }
  // 4xx replies and connection trouble are UNAVAILABLE (retried); 5xx
  // replies (e.g. 550 no such mailbox) are FAILED_PRECONDITION.
  absl::Status Send(const OutgoingMessage& message) override;

 private:
  const SmtpOptions options_;
  CurlHandles handles_;
};

// The RFC 5322 message SmtpChannel sends (exposed for tests).
std::string FormatEmail(const OutgoingMessage& message, const std::string& from, absl::Time now);

}  // namespace dermaflow::notification
