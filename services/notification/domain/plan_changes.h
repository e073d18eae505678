// Turns a Plan into the store writes that carry it out, given the patient's
// reminders as last read: creates for new ids, compare-and-set updates for
// the pending reminders the plan ends or moves. Pure, so what an event does
// to existing reminders is unit-tested without Redis.
//
//   std::map<std::string, std::string>& records = snapshot.records[plan.patient_id];
//   WriteGroup group = ResolvePlan(plan, records, now);  // records now as after it
#pragma once

#include <map>
#include <string>

#include "absl/time/time.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_writes.h"

namespace dermaflow::notification {

// An atomic group with the plan's writes and its guards (appointment
// snapshot; creates are skipped for erased patients). `records` (id -> bytes
// of the patient) is updated to what it holds once the group is applied, so
// a later event of the same batch resolves against it. Records that do not
// decode are left alone. Erasure is not a write group (ErasePatient).
WriteGroup ResolvePlan(const Plan& plan, std::map<std::string, std::string>& records,
                       absl::Time now);

}  // namespace dermaflow::notification
