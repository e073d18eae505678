#include "services/notification/delivery/action_link_minter.h"

#include "common/status/macros.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

absl::StatusOr<ActionLinks> ActionLinkMinter::Links(const std::string& org,
                                                    const ReminderRecord& record,
                                                    const ClinicInfo& clinic,
                                                    dermaflow::patient::v1::Channel channel,
                                                    absl::Time now) const {
  ActionLinks links;
  const internal::StoredReminder& d = record.data;
  const absl::Time expire = FromMillis(d.session_start_ms());
  if (clinic.patient_app_url.empty() || d.appointment_id().empty() || expire <= now) return links;
  for (LinkAction action : LinksFor(KindOf(d), channel)) {
    DF_ASSIGN_OR_RETURN(const std::string token, codec_.Mint({.organization = org,
                                                              .action = ActionName(action),
                                                              .subject_id = d.appointment_id(),
                                                              .expire_time = expire}));
    links.Set(action, LinkUrl(clinic.patient_app_url, token));
  }
  return links;
}

}  // namespace dermaflow::notification
