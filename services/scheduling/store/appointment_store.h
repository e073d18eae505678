// Storage of appointments and courses, behind an interface so the managers
// never see Redis. The store guarantees what must be atomic: a booking is
// decided and written (appointments, calendars, course, events) in one step,
// so two racing bookings never both get a slot; every other change is a
// compare-and-set on the etags read, written together with its events.
//
//   DF_ASSIGN_OR_RETURN(BookingResult r, store.Book(org, booking));
//   DF_RETURN_IF_ERROR(store.Commit(org, change));  // ABORTED if a record moved on
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "services/scheduling/domain/availability.h"

namespace dermaflow::scheduling {

// An appointment as stored: `occupied_until` is end_time plus the clinic's
// buffer at booking, the end of its interval in the practitioner's and the
// room's busy calendars.
struct AppointmentRecord {
  v1::Appointment appointment;
  absl::Time occupied_until;
};

// One session to book: the appointment (id and etag set, room_id empty)
// and the rooms it may take, in order of preference.
struct SessionToBook {
  v1::Appointment appointment;
  absl::Time occupied_until;
  std::vector<std::string> room_candidates;
};

// A waitlist offer accepted by a booking (lua/book_appointment.lua): the
// script checks the offer is still open and its hold unexpired, books
// through the hold and releases it, and marks the slot's other offers taken.
struct OfferAcceptance {
  std::string slot_id;
  std::string offer_id;
  std::string entry_id;
  std::string clinic_id;    // of the entry index the entry leaves
  std::string protocol_id;  //
  std::string hold_id;      // the hold's member id in the busy calendars
  absl::Time hold_occupied_until;
  absl::Time now;
  struct Sibling {
    std::string offer_id;
    std::string entry_id;
    events::v1::Event taken;  // waitlist.offer_taken, sent if it was still open
  };
  std::vector<Sibling> siblings;
};

// A booking: one appointment, all sessions of a new course, or a session
// added to an existing course.
struct NewBooking {
  std::string rpc;  // request_id namespace, e.g. "book" or "plan"
  std::string request_id;
  std::string fingerprint;
  std::string result_id;  // what a replay of the request returns (appointment or course id)
  std::vector<SessionToBook> sessions;
  std::optional<v1::Course> course;  // written with the sessions when set
  std::string course_expected_etag;  // "" for a new course
  std::vector<events::v1::Event> events;
  std::optional<OfferAcceptance> offer;  // one session only
};

struct BookingResult {
  std::optional<std::string> replayed_id;  // set when request_id was seen before
  std::vector<std::string> rooms;          // the room each session took
};

// An appointment moved to another time, practitioner or room.
struct AppointmentMove {
  AppointmentRecord before;
  v1::Appointment after;  // new etag, times and practitioner; room_id empty
  absl::Time occupied_until;
  std::vector<std::string> room_candidates;
  std::vector<events::v1::Event> events;
};

// Any other change: appointments and a course replaced if still as read, and
// the events announcing it. Appointments that no longer hold their slot
// (see HoldsSlot) leave the busy calendars.
struct Change {
  struct Appointment {
    AppointmentRecord before;
    v1::Appointment after;
  };
  struct Course {
    std::string expected_etag;
    v1::Course after;
  };
  std::vector<Appointment> appointments;
  std::optional<Course> course;
  std::vector<events::v1::Event> events;
};

// An entry of an appointment listing.
struct ListedAppointment {
  std::string id;
  absl::Time start;
};

enum class CalendarOwner { kPractitioner, kRoom, kPatient };
enum class AppointmentListing { kClinic, kPractitioner, kRoom, kPatient };
enum class CourseListing { kPatient, kClinic };

class AppointmentStore {
 public:
  virtual ~AppointmentStore() = default;

  // Books every session or none. ALREADY_EXISTS SLOT_CONFLICT (ResourceInfo
  // naming the busy practitioner, room or patient) when a slot is taken;
  // ABORTED when the course changed since it was read; INVALID_ARGUMENT
  // request_id when the request_id was used for another request;
  // FAILED_PRECONDITION OFFER_TAKEN / OFFER_EXPIRED / OFFER_DECLINED /
  // OFFER_ACCEPTED when booking.offer is no longer open.
  virtual absl::StatusOr<BookingResult> Book(const std::string& org, const NewBooking& booking) = 0;

  // Moves an appointment if unchanged since read (ABORTED otherwise) and the
  // new slot is free (ALREADY_EXISTS SLOT_CONFLICT). Returns the room taken.
  virtual absl::StatusOr<std::string> Reschedule(const std::string& org,
                                                 const AppointmentMove& move) = 0;

  // Applies `change` if every record is unchanged since read (ABORTED
  // otherwise).
  virtual absl::Status Commit(const std::string& org, const Change& change) = 0;

  // A replay of an earlier create: the id it returned, nullopt for a new
  // request, INVALID_ARGUMENT request_id for other content. With durable
  // writes on, a found id is returned once the replicas have it
  // (UNAVAILABLE otherwise).
  virtual absl::StatusOr<std::optional<std::string>> FindRequest(
      const std::string& org, const std::string& rpc, const std::string& request_id,
      const std::string& fingerprint) = 0;

  virtual absl::StatusOr<AppointmentRecord> GetAppointment(const std::string& org,
                                                           const std::string& id) = 0;
  // In the order of `ids`; NOT_FOUND if one is missing.
  virtual absl::StatusOr<std::vector<AppointmentRecord>> GetAppointments(
      const std::string& org, const std::vector<std::string>& ids) = 0;

  // Busy intervals of each owner overlapping `window`, one list per owner.
  virtual absl::StatusOr<std::vector<std::vector<Interval>>> BusyIntervals(
      const std::string& org, const std::vector<std::pair<CalendarOwner, std::string>>& owners,
      const Interval& window) = 0;

  // The owner's appointments starting in [from, to), ordered by start time,
  // then id.
  virtual absl::StatusOr<std::vector<ListedAppointment>> ListAppointmentIds(
      const std::string& org, AppointmentListing listing, const std::string& owner_id,
      absl::Time from, absl::Time to) = 0;

  // Ids of appointments whose confirmation check (NextConfirmationCheck) is
  // due by `until`, earliest first, at most `limit`. Book, Reschedule and
  // Commit keep this index in step with each appointment they write.
  virtual absl::StatusOr<std::vector<std::string>> DueConfirmationChecks(const std::string& org,
                                                                         absl::Time until,
                                                                         int limit) = 0;
  // Forgets the check of an appointment that no longer exists.
  virtual absl::Status DropConfirmationCheck(const std::string& org, const std::string& id) = 0;
  // Every organization that has written appointments (`df:orgs`).
  virtual absl::StatusOr<std::vector<std::string>> ListOrganizations() = 0;

  virtual absl::StatusOr<v1::Course> GetCourse(const std::string& org, const std::string& id) = 0;
  // Course ids of the owner, newest first.
  virtual absl::StatusOr<std::vector<std::string>> ListCourseIds(const std::string& org,
                                                                 CourseListing listing,
                                                                 const std::string& owner_id) = 0;
};

}  // namespace dermaflow::scheduling
