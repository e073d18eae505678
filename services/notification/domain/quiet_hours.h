// Quiet hours: a daily window in the patient's local time in which no e-mail
// or SMS goes out; a reminder due inside it is moved to the window's end.
// In-app messages are not shifted: they ring nothing, the patient app shows
// them when it is opened.
//
//   QuietWindow night = DefaultQuietWindow();  // 21:00-08:00
//   absl::Time send_at = ShiftOutOfQuietHours(due, night, berlin);
#pragma once

#include <optional>

#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::notification {

// [start, end) in minutes after local midnight; end < start spans midnight;
// start == end means no quiet hours.
struct QuietWindow {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const QuietWindow&, const QuietWindow&) = default;
};

// 21:00-08:00, the default the organization's settings start from.
QuietWindow DefaultQuietWindow();

// nullopt unless start and end are whole minutes within a day.
std::optional<QuietWindow> ToQuietWindow(const dermaflow::patient::v1::QuietHours& hours);
dermaflow::patient::v1::QuietHours ToQuietHours(QuietWindow window);

// Whether `channel` waits for the end of quiet hours (e-mail and SMS do).
bool RespectsQuietHours(dermaflow::patient::v1::Channel channel);

// `t` when it lies outside the window in `tz`, else the window's end (the
// next local occurrence of end_minute; in a DST gap, the gap's end).
absl::Time ShiftOutOfQuietHours(absl::Time t, QuietWindow window, absl::TimeZone tz);

}  // namespace dermaflow::notification
