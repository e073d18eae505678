// Free-slot search and the calendar arithmetic booking shares with it: weekly
// hours in a clinic's local time, busy calendars, and FindSlots, which walks
// the clinic's slot grid in local civil time (so a DST change moves no slot)
// and keeps every start where a practitioner and a room are free. Pure: no
// gRPC, no Redis; tests pass fixed times.
//
//   SlotSearch search{.time_zone = tz, .opening_hours = ..., .session_duration = absl::Minutes(30),
//   ...}; std::vector<SlotCandidate> page = FindSlots(search, /*after=*/nullptr, /*limit=*/51);
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

// [start, end).
struct Interval {
  absl::Time start;
  absl::Time end;
  bool Overlaps(const Interval& other) const { return start < other.end && other.start < end; }
};

// A resource's busy intervals (appointments, incl. buffer for practitioners
// and rooms), searchable in O(log n) per query.
class Calendar {
 public:
  Calendar() = default;
  explicit Calendar(std::vector<Interval> busy);

  // The earliest busy interval overlapping `query`, if any.
  std::optional<Interval> FirstOverlap(const Interval& query) const;
  bool IsFree(const Interval& query) const { return !FirstOverlap(query).has_value(); }
  void Add(const Interval& busy);
  size_t size() const { return busy_.size(); }

 private:
  std::vector<Interval> busy_;  // sorted by start
  absl::Duration longest_ = absl::ZeroDuration();
};

// One range of weekly hours, in minutes since local midnight (end may be
// 1440 = 24:00). Ranges never span midnight.
struct DailyRange {
  absl::Weekday weekday;
  int begin_minute;
  int end_minute;
};

// Opening or working hours of one week in a clinic's time zone.
class WeeklyHours {
 public:
  WeeklyHours() = default;
  explicit WeeklyHours(std::vector<DailyRange> ranges);

  // True when `interval` lies inside one range of the local day it starts on.
  bool Contains(const Interval& interval, absl::TimeZone tz) const;
  const std::vector<DailyRange>& ranges() const { return ranges_; }

 private:
  std::vector<DailyRange> ranges_;  // sorted by weekday, then begin
};

// True when `interval` overlaps one of `periods` (e.g. a practitioner's time off).
bool OverlapsAny(const Interval& interval, const std::vector<Interval>& periods);

struct PractitionerAvailability {
  std::string id;
  WeeklyHours working_hours;  // at the searched clinic only
  std::vector<Interval> time_off;
  Calendar busy;
};

struct RoomAvailability {
  std::string id;
  Calendar busy;
};

struct SlotSearch {
  absl::TimeZone time_zone;
  WeeklyHours opening_hours;
  std::set<absl::CivilDay> closed_days;
  absl::Duration session_duration;
  absl::Duration buffer;         // kept free after each session
  absl::Duration slot_interval;  // grid step from the start of each opening range
  Interval window;               // slots start in it (the caller cuts off the past)
  std::vector<PractitionerAvailability> practitioners;  // qualified ones only
  std::vector<RoomAvailability> rooms;                  // suitable ones only
  std::optional<Calendar> patient_busy;                 // sessions only, no buffer
};

struct SlotCandidate {
  absl::Time start;
  absl::Time end;  // start + session_duration
  std::string practitioner_id;
  std::string room_id;
};

// Orders slots by start, then practitioner id, then room id.
bool SlotLess(const SlotCandidate& a, const SlotCandidate& b);

// The grid's start times in `search.window`, ascending: every slot_interval
// from the start of each opening range on days that are not closed, as long
// as session and buffer end by the range's close. Local times skipped by a
// DST change are left out; a repeated one is taken once, at its first
// occurrence.
std::vector<absl::Time> GridStarts(const SlotSearch& search);

// Up to `limit` free slots ordered by SlotLess, strictly after `after` when
// given (the last slot of the previous page).
std::vector<SlotCandidate> FindSlots(const SlotSearch& search, const SlotCandidate* after,
                                     size_t limit);

}  // namespace dermaflow::scheduling
