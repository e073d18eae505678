#include "services/notification/delivery/channels/channel.h"

namespace dermaflow::notification {

bool IsTransientError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

ChannelSet::ChannelSet(std::unique_ptr<Channel> email, std::unique_ptr<Channel> sms,
                       std::unique_ptr<Channel> in_app, std::unique_ptr<Channel> log)
    : email_(std::move(email)),
      sms_(std::move(sms)),
      in_app_(std::move(in_app)),
      log_(std::move(log)) {}

Channel& ChannelSet::For(dermaflow::patient::v1::Channel channel) {
  switch (channel) {
    case dermaflow::patient::v1::Channel::CHANNEL_EMAIL:
      return email_ ? *email_ : *log_;
    case dermaflow::patient::v1::Channel::CHANNEL_SMS:
      return sms_ ? *sms_ : *log_;
    case dermaflow::patient::v1::Channel::CHANNEL_IN_APP:
      return in_app_ ? *in_app_ : *log_;
    default:
      return *log_;
  }
}

}  // namespace dermaflow::notification
