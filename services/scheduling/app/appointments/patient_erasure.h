// Erasure frees the calendar: when a patient is erased (GDPR, DeletePatient
// publishes patient.erased), their open courses are cancelled with every
// session still holding a slot, and their other future appointments too,
// all with reason PATIENT_ERASED. These are the same commits and events as a
// reception cancel: practitioners' and rooms' slots are freed and
// notification ends the reminders. Past appointments stay as they are, under
// the opaque patient id. The service acts on its own, as "system:patient-
// erasure" (no person's roles); a replayed event finds nothing left to do.
//
//   PatientErasure erasure(deps);
//   DF_ASSIGN_OR_RETURN(FreedCalendar freed, erasure.FreeCalendar(org, patient_id));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/scheduling/app/appointments/course_ending.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

inline constexpr char kErasureActor[] = "system:patient-erasure";

struct FreedCalendar {
  int courses = 0;       // courses cancelled
  int appointments = 0;  // appointments cancelled outside those courses
};

class PatientErasure {
 public:
  explicit PatientErasure(SchedulingDeps deps) : deps_(deps), courses_(deps) {}

  absl::StatusOr<FreedCalendar> FreeCalendar(const std::string& org, const std::string& patient_id);

 private:
  SchedulingDeps deps_;
  CourseEnding courses_;
};

}  // namespace dermaflow::scheduling
