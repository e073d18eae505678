// Test support: a clinic open, and a practitioner working and qualified for
// every protocol category, 08:00-20:00 every day, so tests and benches can
// book any day and hour inside that without caring about the calendar.
//
//   sv1::CreateClinicRequest req;
//   OpenEveryDay(*req.mutable_clinic());
//   WorkEveryDay(*practitioner_req.mutable_practitioner(), clinic.id());
#pragma once

#include <string>

#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::testing {

void OpenEveryDay(scheduling::v1::Clinic& clinic);
// Also a physician, so screening never needs another practitioner.
void WorkEveryDay(scheduling::v1::Practitioner& practitioner, const std::string& clinic_id);

}  // namespace dermaflow::testing
