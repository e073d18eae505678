#include "services/scheduling/app/booking/busy_calendars.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "common/status/macros.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {

absl::StatusOr<BusyCalendars> LoadBusyCalendars(SchedulingDeps& deps, const std::string& org,
                                                const BookingSubject& s,
                                                const std::string& patient_id,
                                                const Interval& window,
                                                const AppointmentRecord* ignore) {
  std::vector<std::pair<CalendarOwner, std::string>> owners = {
      {CalendarOwner::kPractitioner, s.practitioner.id()}, {CalendarOwner::kPatient, patient_id}};
  for (const std::string& room : s.room_ids) owners.push_back({CalendarOwner::kRoom, room});
  DF_ASSIGN_OR_RETURN(auto busy, deps.appointments.BusyIntervals(org, owners, window));
  if (ignore != nullptr) {
    const absl::Time start = ToTime(ignore->appointment.start_time());
    for (auto& list : busy) {
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const Interval& i) { return i.start == start; }),
                 list.end());
    }
  }
  BusyCalendars c{Calendar(std::move(busy[0])), Calendar(std::move(busy[1])), {}};
  for (size_t i = 0; i < s.room_ids.size(); ++i) {
    c.rooms.emplace(s.room_ids[i], Calendar(std::move(busy[i + 2])));
  }
  return c;
}

absl::StatusOr<std::string> FreeRoomFor(const BusyCalendars& c, const BookingSubject& s,
                                        const std::string& patient_id, int session,
                                        absl::Time start) {
  const Interval session_time{start, start + s.duration()};
  const Interval occupied{start, session_time.end + s.buffer()};
  if (auto busy = c.practitioner.FirstOverlap(occupied)) {
    return SlotConflictError({session, "practitioner", s.practitioner.id(), start, "-", busy->start,
                              s.clinic.time_zone()});
  }
  std::optional<Interval> room_busy;
  for (const std::string& room : s.room_ids) {
    auto busy = c.rooms.at(room).FirstOverlap(occupied);
    if (!busy) {
      if (auto patient_busy = c.patient.FirstOverlap(session_time)) {
        return SlotConflictError({session, "patient", patient_id, start, "-", patient_busy->start,
                                  s.clinic.time_zone()});
      }
      return room;
    }
    if (!room_busy) room_busy = busy;
  }
  return SlotConflictError({session, "room", s.room_ids.size() == 1 ? s.room_ids[0] : "", start,
                            "-", room_busy ? room_busy->start : start, s.clinic.time_zone()});
}

}  // namespace dermaflow::scheduling
