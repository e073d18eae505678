// How dermactl shows appointments and courses, shared by the booking and
// appointment commands. Times are shown in the clinic's zone, which every
// appointment and course carries.
#pragma once

#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "tools/dermactl/context.h"

namespace dermaflow::dermactl {

void PrintAppointment(Context& ctx, const scheduling::v1::Appointment& a);
void PrintAppointments(Context& ctx,
                       const google::protobuf::RepeatedPtrField<scheduling::v1::Appointment>& list);
void PrintCourse(Context& ctx, const scheduling::v1::Course& c);

}  // namespace dermaflow::dermactl
