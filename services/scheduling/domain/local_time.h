// Conversions between the API's time types (Timestamp, Duration, Date,
// TimeOfDay, DayOfWeek) and Abseil's, so domain logic computes in
// absl::Time / absl::CivilDay and clinic-local civil time.
//
//   absl::CivilSecond local = absl::ToCivilSecond(ToTime(req.start_time()), tz);
//   *appt.mutable_local_start_date() = ToDate(absl::CivilDay(local));
#pragma once

#include <optional>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/proto_time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "google/type/dayofweek.pb.h"
#include "google/type/timeofday.pb.h"

namespace dermaflow::scheduling {

using common::ToDate;
using common::ToDuration;
using common::ToProtoDuration;
using common::ToTime;
using common::ToTimestamp;

// nullopt for an invalid date (month 13, 30 February, zero fields).
std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date);

// Minutes since local midnight, 0..1440 (24:00 is 1440); nullopt unless the
// time is whole minutes and in range (24:00 only when allow_midnight_end).
std::optional<int> ToMinuteOfDay(const google::type::TimeOfDay& time, bool allow_midnight_end);
google::type::TimeOfDay ToTimeOfDay(absl::CivilSecond local);

// nullopt for DAY_OF_WEEK_UNSPECIFIED or an unknown value.
std::optional<absl::Weekday> ToWeekday(google::type::DayOfWeek day);

bool IsWholeMinutes(absl::Duration d);
bool IsWholeMinutes(absl::Time t);

// The instant of `day` + `minute_of_day` in `tz`; for a local time skipped
// by a DST change, the transition instant (as absl::FromCivil).
absl::Time LocalMinuteToTime(absl::CivilDay day, int minute_of_day, absl::TimeZone tz);

}  // namespace dermaflow::scheduling
