// Helpers the booking and appointment managers share: the clinic's zone,
// local start fields, area resolution, suitable rooms, course snapshots for
// events, and what callers without the practitioner role may not see.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"
#include "google/protobuf/repeated_field.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/domain/appointment_events.h"

namespace dermaflow::scheduling {

// The clinic's zone (validated when the clinic was written).
absl::StatusOr<absl::TimeZone> ZoneOf(const v1::Clinic& clinic);

// Sets start/end and the local start date and time of day.
void SetTimes(v1::Appointment& appointment, absl::Time start, absl::Duration duration,
              absl::TimeZone tz);

// `requested` areas (empty: all of the protocol's), each one of the
// protocol's; INVALID_ARGUMENT naming `field`[i] otherwise.
absl::StatusOr<std::vector<protocol::v1::TreatmentArea>> ResolveAreas(
    const google::protobuf::RepeatedField<int>& requested, const protocol::v1::Protocol& protocol,
    const std::string& field);

// Ids of the clinic's rooms that may host `category`, not archived, by id.
std::vector<std::string> SuitableRoomIds(const std::vector<v1::Room>& rooms,
                                         const std::string& clinic_id,
                                         protocol::v1::ProtocolCategory category);

// FAILED_PRECONDITION ROOM_NOT_SUITABLE when a clinic has no room for it.
absl::Status NoSuitableRoomError(const std::string& clinic_id);

// Clears what only practitioners may read (completion notes).
void RedactForCaller(v1::Appointment& appointment, const common::Caller& caller);

// The course with every appointment booked for it, `changed` replacing the
// stored versions of the same ids (and added when new).
absl::StatusOr<CourseSnapshot> LoadCourseSnapshot(SchedulingDeps& deps, const std::string& org,
                                                  const v1::Course& course,
                                                  const std::vector<v1::Appointment>& changed);

// The course with its appointments embedded (in appointment_ids order).
absl::StatusOr<v1::Course> GetCourseWithAppointments(SchedulingDeps& deps, const std::string& org,
                                                     const std::string& id);

// The practitioner the caller is (Practitioner.subject), needed to record an
// override: PERMISSION_DENIED unless the caller has the practitioner role and
// such a practitioner exists.
absl::StatusOr<std::string> OverridingPractitioner(SchedulingDeps& deps,
                                                   const common::Caller& caller);

}  // namespace dermaflow::scheduling
