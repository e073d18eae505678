// Audit entries: who did what to which fields of a patient, and when, never
// the values. The store appends them atomically with the change or read they
// record; ListAuditEntries filters them with MatchesAuditFilter.
//
//   v1::AuditEntry entry = MakeAuditEntry(id, v1::AUDIT_ACTION_READ_MEDICAL_PROFILE,
//                                         {"medical_profile"}, caller, clock.Now());
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::patient {

// `request_id` is the caller's idempotency key where the RPC has one.
v1::AuditEntry MakeAuditEntry(std::string_view patient_id, v1::AuditAction action,
                              std::vector<std::string> field_paths, const common::Caller& caller,
                              absl::Time now, std::string_view request_id = "");

// The filters of ListAuditEntries: actions (empty = all) and [start, end).
struct AuditFilter {
  std::vector<v1::AuditAction> actions;
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
};

bool MatchesAuditFilter(const v1::AuditEntry& entry, const AuditFilter& filter);

}  // namespace dermaflow::patient
