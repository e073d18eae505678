// How a rendered reminder leaves the service: one interface for e-mail
// (SMTP), SMS (the clinic gateway's webhook), in-app and the log channel of
// local runs, and the routing from the patient's channel to a transport.
//
//   ChannelSet channels = ...;  // built in main.cc from flags
//   DF_RETURN_IF_ERROR(channels.For(CHANNEL_SMS).Send(message));
//
// Send returns OK once the transport accepted the message. Errors decide
// what happens next (IsTransientError): UNAVAILABLE, DEADLINE_EXCEEDED,
// RESOURCE_EXHAUSTED and ABORTED are retried with backoff; anything else
// (a rejected address, a 4xx answer) dead-letters the reminder at once.
// Every attempt of a reminder carries the same idempotency key,
// IdempotencyKey(organization, reminder id) (domain/idempotency_key.h), so a
// provider that deduplicates drops the copy an at-least-once redelivery sends.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::notification {

struct OutgoingMessage {
  std::string organization;
  std::string reminder_id;  // with `organization`, makes the idempotency key
  std::string patient_id;
  v1::ReminderKind kind = v1::ReminderKind::REMINDER_KIND_UNSPECIFIED;
  dermaflow::patient::v1::Channel channel = dermaflow::patient::v1::Channel::CHANNEL_UNSPECIFIED;
  std::string address;  // e-mail address or E.164 phone; empty for in-app
  std::string locale;
  std::string subject;
  std::string body;
  absl::Time time;  // when it is sent (the dispatcher's clock), e.g. the e-mail's Date
};

class Channel {
 public:
  virtual ~Channel() = default;
  // Label for metrics and logs: "email", "sms", "in_app", "log".
  virtual std::string name() const = 0;
  // Thread-safe: dispatch workers send concurrently.
  virtual absl::Status Send(const OutgoingMessage& message) = 0;
  // Whether Send hands the message to someone outside the service (an SMTP
  // server, an SMS provider), so that sending it again would reach the
  // patient twice: the dispatcher records such a send before its worker
  // sends again. Channels that only write locally say false.
  virtual bool external() const { return true; }
};

bool IsTransientError(const absl::Status& status);

// The transport behind each patient channel. E-mail and SMS fall back to
// the log channel when not configured (local runs); in-app is always there.
class ChannelSet {
 public:
  ChannelSet(std::unique_ptr<Channel> email, std::unique_ptr<Channel> sms,
             std::unique_ptr<Channel> in_app, std::unique_ptr<Channel> log);

  Channel& For(dermaflow::patient::v1::Channel channel);

 private:
  std::unique_ptr<Channel> email_;
  std::unique_ptr<Channel> sms_;
  std::unique_ptr<Channel> in_app_;
  std::unique_ptr<Channel> log_;
};

}  // namespace dermaflow::notification
