// AppointmentStore on Redis: bookings and moves through book_appointment.lua
// and reschedule_appointment.lua (conflict checks and writes in one script),
// every other change through commit.lua; events are appended to the tenant's
// stream inside the same script. Layout: docs/scheduling.md.
#pragma once

#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "common/events/event_publisher.h"
#include "common/redis/redis_client.h"
#include "services/scheduling/store/appointment_store.h"
#include "services/scheduling/store/script_call.h"

namespace dermaflow::scheduling {

class RedisAppointmentStore : public AppointmentStore {
 public:
  // `redis` and `clock` (for event ids and times) must outlive the store.
  RedisAppointmentStore(common::RedisClient& redis, const common::Clock& clock,
                        common::EventStreamOptions stream_options = {});

  absl::StatusOr<BookingResult> Book(const std::string& org, const NewBooking& booking) override;
  absl::StatusOr<std::string> Reschedule(const std::string& org,
                                         const AppointmentMove& move) override;
  absl::Status Commit(const std::string& org, const Change& change) override;
  absl::StatusOr<std::optional<std::string>> FindRequest(const std::string& org,
                                                         const std::string& rpc,
                                                         const std::string& request_id,
                                                         const std::string& fingerprint) override;
  absl::StatusOr<AppointmentRecord> GetAppointment(const std::string& org,
                                                   const std::string& id) override;
  absl::StatusOr<std::vector<AppointmentRecord>> GetAppointments(
      const std::string& org, const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<std::vector<Interval>>> BusyIntervals(
      const std::string& org, const std::vector<std::pair<CalendarOwner, std::string>>& owners,
      const Interval& window) override;
  absl::StatusOr<std::vector<ListedAppointment>> ListAppointmentIds(const std::string& org,
                                                                    AppointmentListing listing,
                                                                    const std::string& owner_id,
                                                                    absl::Time from,
                                                                    absl::Time to) override;
  absl::StatusOr<std::vector<std::string>> DueConfirmationChecks(const std::string& org,
                                                                 absl::Time until,
                                                                 int limit) override;
  absl::Status DropConfirmationCheck(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> ListOrganizations() override;
  absl::StatusOr<v1::Course> GetCourse(const std::string& org, const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> ListCourseIds(const std::string& org,
                                                         CourseListing listing,
                                                         const std::string& owner_id) override;

 private:
  // Adds the org to `df:orgs` once per process, so consumers find its stream
  // (the set lives outside the tenant's slot, so scripts cannot do it).
  absl::Status EnsureRegistered(const std::string& org);
  // Appends the sealed events of a change to `call`: n, then the bytes.
  absl::Status AddEvents(std::vector<events::v1::Event> events, ScriptCall& call);
  // booking.offer's part of the booking script's arguments ('0' when none).
  absl::Status AddOfferAcceptance(const std::string& org, const NewBooking& booking,
                                  ScriptCall& call);

  common::RedisClient& redis_;
  const common::Clock& clock_;
  common::EventPublisher publisher_;
  absl::Mutex mu_;
  std::set<std::string> registered_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::scheduling
