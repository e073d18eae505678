// The channel of local runs and benchmarks: "delivers" a reminder by writing
// one log line with its ids (never the address or the text, which hold
// personal data). main.cc routes e-mail and SMS here when no SMTP server or
// SMS gateway is configured.
//
//   LogChannel log;
//   log.Send(message);  // {"msg":"reminder delivered (log channel)","reminder_id":...}
#pragma once

#include "services/notification/delivery/channels/channel.h"

namespace dermaflow::notification {

class LogChannel : public Channel {
 public:
  // quiet: count only, write nothing (benchmarks measure the engine, not
  // the terminal).
  explicit LogChannel(bool quiet = false) : quiet_(quiet) {}
  std::string name() const override { return "log"; }
  absl::Status Send(const OutgoingMessage& message) override;
  // A log line written twice after a crash reaches nobody.
  bool external() const override { return false; }

 private:
  const bool quiet_;
};

}  // namespace dermaflow::notification
