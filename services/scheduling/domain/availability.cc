#include "services/scheduling/domain/availability.h"

#include <algorithm>
#include <tuple>

#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

bool StartLess(const Interval& a, const Interval& b) { return a.start < b.start; }

}  // namespace

Calendar::Calendar(std::vector<Interval> busy) : busy_(std::move(busy)) {
  std::sort(busy_.begin(), busy_.end(), StartLess);
  for (const Interval& b : busy_) longest_ = std::max(longest_, b.end - b.start);
}

std::optional<Interval> Calendar::FirstOverlap(const Interval& query) const {
  // Only intervals starting in (query.start - longest, query.end) can overlap.
  auto it = std::lower_bound(busy_.begin(), busy_.end(),
                             Interval{query.start - longest_, query.start - longest_}, StartLess);
  for (; it != busy_.end() && it->start < query.end; ++it) {
    if (it->Overlaps(query)) return *it;
  }
  return std::nullopt;
}

void Calendar::Add(const Interval& busy) {
  busy_.insert(std::upper_bound(busy_.begin(), busy_.end(), busy, StartLess), busy);
  longest_ = std::max(longest_, busy.end - busy.start);
}

WeeklyHours::WeeklyHours(std::vector<DailyRange> ranges) : ranges_(std::move(ranges)) {
  std::sort(ranges_.begin(), ranges_.end(), [](const DailyRange& a, const DailyRange& b) {
    return std::tie(a.weekday, a.begin_minute) < std::tie(b.weekday, b.begin_minute);
  });
}

bool WeeklyHours::Contains(const Interval& interval, absl::TimeZone tz) const {
  const absl::CivilDay day = absl::ToCivilDay(interval.start, tz);
  const absl::Weekday weekday = absl::GetWeekday(day);
  for (const DailyRange& r : ranges_) {
    if (r.weekday != weekday) continue;
    if (interval.start >= LocalMinuteToTime(day, r.begin_minute, tz) &&
        interval.end <= LocalMinuteToTime(day, r.end_minute, tz)) {
      return true;
    }
  }
  return false;
}

bool OverlapsAny(const Interval& interval, const std::vector<Interval>& periods) {
  return std::any_of(periods.begin(), periods.end(),
                     [&](const Interval& p) { return p.Overlaps(interval); });
}

bool SlotLess(const SlotCandidate& a, const SlotCandidate& b) {
  return std::tie(a.start, a.practitioner_id, a.room_id) <
         std::tie(b.start, b.practitioner_id, b.room_id);
}

std::vector<absl::Time> GridStarts(const SlotSearch& search) {
  std::vector<absl::Time> starts;
  const absl::TimeZone tz = search.time_zone;
  const int64_t step = std::max<int64_t>(1, absl::ToInt64Minutes(search.slot_interval));
  const absl::Duration occupied = search.session_duration + search.buffer;
  const absl::CivilDay last = absl::ToCivilDay(search.window.end, tz);
  for (absl::CivilDay day = absl::ToCivilDay(search.window.start, tz); day <= last; ++day) {
    if (search.closed_days.count(day) > 0) continue;
    const absl::Weekday weekday = absl::GetWeekday(day);
    for (const DailyRange& r : search.opening_hours.ranges()) {
      if (r.weekday != weekday) continue;
      const absl::Time close = LocalMinuteToTime(day, r.end_minute, tz);
      for (int64_t minute = r.begin_minute; minute < r.end_minute; minute += step) {
        const absl::TimeZone::TimeInfo info = tz.At(absl::CivilSecond(day) + minute * 60);
        if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) continue;
        const absl::Time start = info.pre;
        if (start + occupied > close) break;
        if (start < search.window.start || start >= search.window.end) continue;
        starts.push_back(start);
      }
    }
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

std::vector<SlotCandidate> FindSlots(const SlotSearch& search, const SlotCandidate* after,
                                     size_t limit) {
  std::vector<SlotCandidate> slots;
  if (limit == 0) return slots;
  std::vector<const PractitionerAvailability*> practitioners;
  for (const auto& p : search.practitioners) practitioners.push_back(&p);
  std::sort(practitioners.begin(), practitioners.end(),
            [](const auto* a, const auto* b) { return a->id < b->id; });
  std::vector<const RoomAvailability*> rooms;
  for (const auto& r : search.rooms) rooms.push_back(&r);
  std::sort(rooms.begin(), rooms.end(), [](const auto* a, const auto* b) { return a->id < b->id; });

  for (absl::Time start : GridStarts(search)) {
    if (after != nullptr && start < after->start) continue;
    const Interval session{start, start + search.session_duration};
    const Interval occupied{start, session.end + search.buffer};
    if (search.patient_busy && !search.patient_busy->IsFree(session)) continue;
    // Rooms first: at a fully booked time no practitioner needs checking.
    std::vector<const RoomAvailability*> free_rooms;
    for (const RoomAvailability* r : rooms) {
      if (r->busy.IsFree(occupied)) free_rooms.push_back(r);
    }
    if (free_rooms.empty()) continue;
    for (const PractitionerAvailability* p : practitioners) {
      if (after != nullptr && start == after->start && p->id < after->practitioner_id) continue;
      if (!p->working_hours.Contains(occupied, search.time_zone) ||
          OverlapsAny(occupied, p->time_off) || !p->busy.IsFree(occupied)) {
        continue;
      }
      for (const RoomAvailability* r : free_rooms) {
        SlotCandidate slot{start, session.end, p->id, r->id};
        if (after != nullptr && !SlotLess(*after, slot)) continue;
        slots.push_back(std::move(slot));
        if (slots.size() == limit) return slots;
      }
    }
  }
  return slots;
}

}  // namespace dermaflow::scheduling
