// Turning dermactl option values into API values. Every failure is a usage
// error naming the option, so the user sees exactly which flag to fix.
//
//   DF_ASSIGN_OR_RETURN(auto effects, ParseEnumList<v1::SideEffect>(args.Get("side_effects"),
//                                                                    "side_effects"));
//   DF_ASSIGN_OR_RETURN(absl::Time start, ParseStart("2026-11-24 10:00", berlin, "start"));
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time/proto_time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/type/date.pb.h"
#include "google/type/dayofweek.pb.h"
#include "google/type/timeofday.pb.h"

namespace dermaflow::dermactl {

// Accepts the short label ("in_app", "in-app"), any case, or the full value
// name ("CHANNEL_IN_APP"). UNSPECIFIED values are rejected.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* type,
                                   const std::string& text, const std::string& option);

template <typename E>
absl::StatusOr<E> ParseEnum(const std::string& text, const std::string& option) {
  absl::StatusOr<int> v = ParseEnumValue(google::protobuf::GetEnumDescriptor<E>(), text, option);
  if (!v.ok()) return v.status();
  return static_cast<E>(*v);
}

// Comma-separated; empty text gives an empty list.
template <typename E>
absl::StatusOr<std::vector<E>> ParseEnumList(const std::string& text, const std::string& option);

// "2026-11-24".
absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text, const std::string& option);
using common::ToDate;

// A session start: "2026-11-24 10:00" or "2026-11-24T10:00" in `zone`, an
// RFC 3339 instant ("2026-11-24T09:00:00Z"), or "now+15m" (rounded up to the
// next whole minute, as bookings need).
absl::StatusOr<absl::Time> ParseStart(const std::string& text, const absl::TimeZone& zone,
                                      const std::string& option);

// "30m", "48h", "7d", "1h30m".
absl::StatusOr<absl::Duration> ParseDuration(const std::string& text, const std::string& option);
google::protobuf::Duration ToDuration(absl::Duration d);

// "09:00" (whole minutes; "24:00" allowed for closing times).
absl::StatusOr<google::type::TimeOfDay> ParseTimeOfDay(const std::string& text,
                                                       const std::string& option);

// "yes"/"no" (also true/false, y/n, 1/0).
absl::StatusOr<bool> ParseYesNo(const std::string& text, const std::string& option);

// Weekly hours: "mon-fri 09:00-19:00; sat 10:00-14:00", "daily 08:00-20:00",
// "mon+wed 09:00-12:00". An entry may start with "@<clinic id> " (working
// hours of a practitioner at several clinics).
struct HoursRange {
  std::string clinic_id;  // from "@id", else empty
  google::type::DayOfWeek day;
  google::type::TimeOfDay open;
  google::type::TimeOfDay close;
};
absl::StatusOr<std::vector<HoursRange>> ParseHours(const std::string& text,
                                                   const std::string& option);

// Comma-separated, trimmed, empties dropped.
std::vector<std::string> SplitList(const std::string& text);

// A fresh UUID (v4) for request_id.
std::string NewRequestId();

// ------------------------------------------------------------------------
template <typename E>
absl::StatusOr<std::vector<E>> ParseEnumList(const std::string& text, const std::string& option) {
  std::vector<E> out;
  for (const std::string& item : SplitList(text)) {
    absl::StatusOr<E> v = ParseEnum<E>(item, option);
    if (!v.ok()) return v.status();
    out.push_back(*v);
  }
  return out;
}

}  // namespace dermaflow::dermactl
