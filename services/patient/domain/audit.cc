#include "services/patient/domain/audit.h"

#include <algorithm>

#include "common/time/proto_time.h"

namespace dermaflow::patient {

v1::AuditEntry MakeAuditEntry(std::string_view patient_id, v1::AuditAction action,
                              std::vector<std::string> field_paths, const common::Caller& caller,
                              absl::Time now, std::string_view request_id) {
  v1::AuditEntry entry;
  entry.set_patient_id(std::string(patient_id));
  *entry.mutable_time() = common::ToTimestamp(now);
  entry.set_actor(caller.subject);
  entry.set_via_service(caller.service.empty() ? caller.via_service : caller.service);
  entry.set_action(action);
  for (std::string& path : field_paths) entry.add_field_paths(std::move(path));
  entry.set_request_id(std::string(request_id));
  return entry;
}

bool MatchesAuditFilter(const v1::AuditEntry& entry, const AuditFilter& filter) {
  if (!filter.actions.empty() && std::find(filter.actions.begin(), filter.actions.end(),
                                           entry.action()) == filter.actions.end()) {
    return false;
  }
  const absl::Time time = common::ToTime(entry.time());
  if (filter.start && time < *filter.start) return false;
  if (filter.end && time >= *filter.end) return false;
  return true;
}

}  // namespace dermaflow::patient
