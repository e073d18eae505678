// Time zones from callers are IANA names ("Europe/Berlin", "UTC"), never
// paths: absl::LoadTimeZone would read "/etc/localtime",
// "../../usr/share/zoneinfo/…", "localtime" (the server's zone) or
// "posixrules", and keep a trailing NUL, so every zone a caller sends is
// checked here first.
//
//   absl::TimeZone tz;
//   if (!LoadIanaTimeZone(clinic.time_zone(), &tz)) v.Add("clinic.time_zone", kTimeZoneHint);
#pragma once

#include <string_view>

#include "absl/time/time.h"

namespace dermaflow::common {

inline constexpr std::string_view kTimeZoneHint =
    "is not an IANA time zone (e.g. \"Europe/Berlin\")";

// The shape of an IANA name: at most 64 characters, up to three parts
// separated by '/', each of letters, digits, '_', '+' and '-', the first
// starting with a capital letter (tzdata's files like "posixrules",
// "localtime" or the "posix/" and "right/" trees do not).
bool IsIanaTimeZoneName(std::string_view name);

// IsIanaTimeZoneName and known to tzdata; loads it into *zone.
bool LoadIanaTimeZone(std::string_view name, absl::TimeZone* zone);

}  // namespace dermaflow::common
