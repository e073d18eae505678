// What scheduling's errors name, and the one error only scheduling has: a
// slot conflict. Everything else is the common vocabulary
// (common/status/api_errors.h) with this service's domain.
//
//   return common::NotFoundError(kErrorDomain, kClinicType, id);  // NOT_FOUND
//   return SlotConflictError({.session = 1, .owner = "room", ...});  // ALREADY_EXISTS
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

inline constexpr char kErrorDomain[] = "dermaflow.scheduling.v1";
inline constexpr char kClinicType[] = "dermaflow.scheduling.v1.Clinic";
inline constexpr char kPractitionerType[] = "dermaflow.scheduling.v1.Practitioner";
inline constexpr char kRoomType[] = "dermaflow.scheduling.v1.Room";
inline constexpr char kAppointmentType[] = "dermaflow.scheduling.v1.Appointment";
inline constexpr char kCourseType[] = "dermaflow.scheduling.v1.Course";
inline constexpr char kPatientType[] = "dermaflow.patient.v1.Patient";
inline constexpr char kProtocolType[] = "dermaflow.protocol.v1.Protocol";
inline constexpr char kWaitlistEntryType[] = "dermaflow.scheduling.v1.WaitlistEntry";
inline constexpr char kWaitlistOfferType[] = "dermaflow.scheduling.v1.WaitlistOffer";

// FAILED_PRECONDITION for an offer that cannot be answered any more, with
// ErrorInfo `reason` (OFFER_TAKEN, OFFER_EXPIRED, OFFER_DECLINED,
// OFFER_ACCEPTED) the patient app switches on.
absl::Status OfferClosedError(const std::string& reason, const std::string& offer_id);

// Session `session` (1-based) starting `session_start` collides: `owner`
// ("practitioner", "room" or "patient") `owner_id` is busy with appointment
// `other_id` from `other_start`. An empty room id means no suitable room of
// the clinic is free. Times are printed in the clinic's `time_zone`, as
// reception reads them.
struct SlotConflict {
  int session = 1;
  std::string owner;
  std::string owner_id;
  absl::Time session_start;
  std::string other_id;
  absl::Time other_start;
  std::string time_zone;
};

// ALREADY_EXISTS, ErrorInfo SLOT_CONFLICT, ResourceInfo naming the owner:
// "slot taken (session 1 at 2027-01-04 10:00 Europe/Berlin): room r-1 is busy; ...".
absl::Status SlotConflictError(const SlotConflict& conflict);

}  // namespace dermaflow::scheduling
