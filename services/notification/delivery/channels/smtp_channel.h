// E-mail over SMTP with libcurl, TLS as smtp_config.h decides it: STARTTLS
// required for any non-loopback server (or implicit TLS with smtps://), the
// server certificate verified against the system CAs or --smtp_ca_file, AUTH
// only over TLS. The message is email_format.h's (UTF-8, Message-ID from the
// reminder id, so a redelivered reminder is recognizable as the same mail).
//
//   SmtpChannel email({.url = "smtp://mail.clinic.example:587",
//                      .from = "Dermaflow <noreply@clinic.example>",
//                      .username = "reminders", .password = password});
//   email.Send(message);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/http/curl_easy.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/channels/smtp_config.h"

namespace dermaflow::notification {

class SmtpChannel : public Channel {
 public:
  // Options are checked by PlanSmtp (main.cc exits on a bad one before this
  // runs); if they are invalid anyway, every Send fails with UNAVAILABLE
  // (reason config) so nothing is dead-lettered for our own mistake.
  explicit SmtpChannel(SmtpOptions options);
  std::string name() const override { return "email"; }
  // Errors (channel_errors.h reasons): connection trouble, timeouts and 4xx
  // replies are UNAVAILABLE (retried); TLS/certificate failures and refused
  // AUTH are UNAVAILABLE too (a configuration problem: retried, logged as
  // such); a 5xx reply to the message or recipient (e.g. 550 no such
  // mailbox) and a malformed address are FAILED_PRECONDITION (dead letter).
  absl::Status Send(const OutgoingMessage& message) override;

 private:
  const SmtpOptions options_;
  const absl::StatusOr<SmtpPlan> plan_;
  common::CurlHandles handles_;
};

}  // namespace dermaflow::notification
