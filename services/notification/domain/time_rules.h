// Time conversions and the protocol's time rule, shared by planning, quiet
// hours and rendering: a Duration that is a whole number of days counts
// calendar days in a local time zone and keeps the local time of day (so "24 h
// before Monday 10:00" is Sunday 10:00 even across a DST change); any other
// Duration is exact elapsed time.
//
//   absl::Time due = SubtractOffset(start, absl::Hours(24), berlin);
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/proto_time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace dermaflow::notification {

using common::ToDate;
using common::ToDuration;
using common::ToProtoDuration;
using common::ToTime;
using common::ToTimestamp;

int64_t ToMillis(absl::Time t);
absl::Time FromMillis(int64_t ms);

// yyyymmdd <-> civil day (0 for an invalid google.type.Date).
int32_t ToYyyymmdd(const google::type::Date& date);
absl::CivilDay FromYyyymmdd(int32_t yyyymmdd);

// The zone named `name`, or UTC when the name is empty or unknown (events
// carry validated zones; a bad one must not stop planning).
absl::TimeZone ZoneOrUtc(const std::string& name);

// True for a positive Duration that is a whole number of days.
bool IsWholeDays(absl::Duration d);

// `base` moved by `offset` following the time rule above, in `tz`. A local
// time that falls into a DST gap maps to the end of the gap (absl::FromCivil).
absl::Time AddOffset(absl::Time base, absl::Duration offset, absl::TimeZone tz);
absl::Time SubtractOffset(absl::Time base, absl::Duration offset, absl::TimeZone tz);

}  // namespace dermaflow::notification
