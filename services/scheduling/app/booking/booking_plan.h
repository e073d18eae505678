// The booking a script commits: the new appointments (and course) with the
// events that announce them, put together as a NewBooking for
// AppointmentStore::Book (lua/book_appointment.lua). Nothing here decides
// conflicts or writes; the store does both in one step.
//
//   v1::Appointment a = NewAppointment(call, subject, patient_id, start, notes,
//   practitioner_override, now); NewBooking booking = AppointmentBooking(call, request_id,
//   fingerprint, a, subject,
//                                           occupied.end, /*join=*/nullptr, now);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/store/appointment_store.h"

namespace dermaflow::scheduling {

// A BOOKED appointment of the subject's protocol at `start` (new id and
// etag, no room yet), created by the caller at `now`.
v1::Appointment NewAppointment(const CallContext& call, const BookingSubject& s,
                               const std::string& patient_id, absl::Time start,
                               const std::string& notes,
                               const std::optional<v1::Override>& practitioner_override,
                               absl::Time now);

// A replacement session joining an existing course.
struct CourseJoin {
  v1::Course course;          // as it will be written: with the session, new etag
  std::string expected_etag;  // the course as read
  CourseSnapshot snapshot;    // every session, the new one included (for events)
};

// Reads the course again and adds `a` as session `session_index` (setting
// its course fields); FAILED_PRECONDITION COURSE_SESSION_TAKEN when a
// session of that index is still BOOKED, ARRIVED or FULFILLED.
absl::StatusOr<CourseJoin> JoinCourse(SchedulingDeps& deps, const std::string& org,
                                      const std::string& course_id, int session_index,
                                      absl::Time now, v1::Appointment& a);

// One appointment (`join`: with its course, may be null), with
// `appointment.booked`. The rpc namespace of its request_id is "book".
NewBooking AppointmentBooking(const CallContext& call, const std::string& request_id,
                              const std::string& fingerprint, const v1::Appointment& a,
                              const BookingSubject& s, absl::Time occupied_until,
                              const CourseJoin* join, absl::Time now);

// A new course and its sessions (appointments without rooms yet).
struct PlannedCourse {
  v1::Course course;  // with appointment_ids, without embedded appointments
  CourseSnapshot snapshot;
};

PlannedCourse NewCourse(const CallContext& call, const v1::PlanCourseRequest& request,
                        const BookingSubject& s, const std::vector<absl::Time>& starts,
                        const std::optional<v1::Override>& practitioner_override, absl::Time now);

// Every session of `planned`, each preferring the room it was planned in
// (`rooms` by session index), with `course.planned` and one
// `appointment.booked` per session. The rpc namespace is "plan".
NewBooking CourseBooking(const CallContext& call, const std::string& request_id,
                         const std::string& fingerprint, const BookingSubject& s,
                         const PlannedCourse& planned, const std::map<int, std::string>& rooms,
                         absl::Time now);

}  // namespace dermaflow::scheduling
