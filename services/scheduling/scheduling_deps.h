// Everything the scheduling managers work with, wired once in main.cc (or a
// test) and passed by reference.
#pragma once

#include "common/clock/clock.h"
#include "services/scheduling/appointment_store.h"
#include "services/scheduling/dependencies.h"
#include "services/scheduling/resource_store.h"

namespace dermaflow::scheduling {

struct SchedulingDeps {
  ResourceStore& resources;
  AppointmentStore& appointments;
  ProtocolDirectory& protocols;
  PatientDirectory& patients;
  const common::Clock& clock;
};

}  // namespace dermaflow::scheduling
