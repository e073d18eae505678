// Turning API values into short human-readable text for dermactl's tables:
// enum values without their prefix ("CHANNEL_EMAIL" -> "email"), instants in
// a time zone, dates, durations ("7d", "48h", "30m") and localized texts.
//
//   Label(appointment.state())                       // "booked"
//   FormatTime(appointment.start_time(), berlin)     // "2026-11-24 10:00 CET"
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/time/proto_time.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/repeated_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "google/type/timeofday.pb.h"

namespace dermaflow::dermactl {

// "REMINDER_KIND_AFTERCARE_CHECK_IN" -> "aftercare_check_in".
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value);

template <typename E>
std::string Label(E value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

// Labels of a repeated enum field, comma-separated.
template <typename E>
std::string Labels(const google::protobuf::RepeatedField<int>& values) {
  std::string out;
  for (int v : values) {
    if (!out.empty()) out += ",";
    out += Label(static_cast<E>(v));
  }
  return out;
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts);
using common::ToTimestamp;

// "2026-11-24 10:00 CET"; empty for an unset timestamp.
std::string FormatTime(const google::protobuf::Timestamp& ts, const absl::TimeZone& zone);
// The zone named `name`, or `fallback` when empty or unknown.
absl::TimeZone ZoneOr(const std::string& name, const absl::TimeZone& fallback);

std::string FormatDate(const google::type::Date& date);            // "2027-05-24"
std::string FormatTimeOfDay(const google::type::TimeOfDay& time);  // "09:00"
std::string FormatDuration(const google::protobuf::Duration& d);   // "7d", "1h30m", "0"

// The translation for `locale` (exact, then its language, then "en", then
// the first one).
std::string PickText(const protocol::v1::LocalizedText& text, const std::string& locale);

}  // namespace dermaflow::dermactl
