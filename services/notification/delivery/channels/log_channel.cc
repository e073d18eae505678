#include "services/notification/delivery/channels/log_channel.h"

#include "common/logging/log.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

absl::Status LogChannel::Send(const OutgoingMessage& m) {
  if (quiet_) return absl::OkStatus();
  common::LogInfo("reminder delivered (log channel)",
                  {{"org", m.organization},
                   {"reminder_id", m.reminder_id},
                   {"patient_id", m.patient_id},
                   {"kind", KindLabel(m.kind)},
                   {"channel", dermaflow::patient::v1::Channel_Name(m.channel)},
                   {"locale", m.locale}});
  return absl::OkStatus();
}

}  // namespace dermaflow::notification
