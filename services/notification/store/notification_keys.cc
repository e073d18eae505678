#include "services/notification/store/notification_keys.h"

#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

using common::TenantKey;

absl::StatusOr<NotificationKeys> NotificationKeys::For(const std::string& org) {
  NotificationKeys k;
  k.org = org;
  DF_ASSIGN_OR_RETURN(k.records, TenantKey(org, "rem"));
  DF_ASSIGN_OR_RETURN(k.queue, TenantKey(org, "rem", "queue"));
  DF_ASSIGN_OR_RETURN(k.retry, TenantKey(org, "rem", "retry"));
  DF_ASSIGN_OR_RETURN(k.inflight, TenantKey(org, "rem", "inflight"));
  DF_ASSIGN_OR_RETURN(k.claims, TenantKey(org, "rem", "claims"));
  DF_ASSIGN_OR_RETURN(k.claim_seq, TenantKey(org, "rem", "claimseq"));
  DF_ASSIGN_OR_RETURN(k.dead, TenantKey(org, "rem", "dead"));
  DF_ASSIGN_OR_RETURN(k.done, TenantKey(org, "rem", "done"));
  DF_ASSIGN_OR_RETURN(k.erased, TenantKey(org, "rem", "erased"));
  DF_ASSIGN_OR_RETURN(k.appointment_guards, TenantKey(org, "rem", "guards"));
  DF_ASSIGN_OR_RETURN(k.contexts, TenantKey(org, "rem", "ctx"));
  DF_ASSIGN_OR_RETURN(k.deliveries, TenantKey(org, "dlv"));
  DF_ASSIGN_OR_RETURN(k.delivery_time, TenantKey(org, "dlv", "time"));
  DF_ASSIGN_OR_RETURN(k.delivery_stream, TenantKey(org, "dlv", "stream"));
  DF_ASSIGN_OR_RETURN(k.delivery_watched, TenantKey(org, "dlv", "watched"));
  DF_ASSIGN_OR_RETURN(k.settings, TenantKey(org, "notification", "settings"));
  DF_ASSIGN_OR_RETURN(k.park_days, TenantKey(org, "rem", "park_days"));
  DF_ASSIGN_OR_RETURN(k.parked, TenantKey(org, "rem", "parked"));
  return k;
}

absl::StatusOr<std::string> NotificationKeys::ParkBucket(int64_t day) const {
  return TenantKey(org, "rem", "park", day);
}

absl::StatusOr<std::string> NotificationKeys::PatientIndex(const std::string& patient_id) const {
  // Short: one such key per patient, each paid for in memory.
  return TenantKey(org, "rem", "p", patient_id);
}

absl::StatusOr<std::string> NotificationKeys::PatientFinalIndex(
    const std::string& patient_id) const {
  return TenantKey(org, "rem", "pf", patient_id);
}

absl::StatusOr<std::string> NotificationKeys::PatientDeliveries(
    const std::string& patient_id) const {
  return TenantKey(org, "dlv", "patient", patient_id);
}

absl::StatusOr<std::string> NotificationKeys::Clinic(const std::string& clinic_id) const {
  return TenantKey(org, "rem", "clinic", clinic_id);
}

}  // namespace dermaflow::notification
