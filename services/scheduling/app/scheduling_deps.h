// Everything the scheduling managers work with, wired once in main.cc (or a
// test) and passed by reference. Protocols come through a caching client
// (versions never change); patients are only checked to exist.
#pragma once

#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "services/scheduling/app/call_context.h"
#include "services/scheduling/store/appointment_store.h"
#include "services/scheduling/store/resource_store.h"

namespace dermaflow::scheduling {

class ConfirmationMetrics;

struct SchedulingDeps {
  ResourceStore& resources;
  AppointmentStore& appointments;
  common::ProtocolClient& protocols;
  common::PatientClient& patients;
  const common::Clock& clock;
  // Counts confirmation outcomes; null (tests, benchmarks): not counted.
  ConfirmationMetrics* confirmation_metrics = nullptr;
};

// A change that loses a race to a concurrent writer (ABORTED, or a planned
// session taken) is re-read and tried again, this many times in all.
inline constexpr int kRaceAttempts = 3;

}  // namespace dermaflow::scheduling
