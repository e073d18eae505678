#include "services/notification/domain/quiet_hours.h"

#include "absl/time/civil_time.h"

namespace dermaflow::notification {

using dermaflow::patient::v1::Channel;

QuietWindow DefaultQuietWindow() { return QuietWindow{21 * 60, 8 * 60}; }

std::optional<QuietWindow> ToQuietWindow(const dermaflow::patient::v1::QuietHours& hours) {
  auto minute = [](const google::type::TimeOfDay& t) -> std::optional<int> {
    if (t.hours() < 0 || t.hours() > 23 || t.minutes() < 0 || t.minutes() > 59 ||
        t.seconds() != 0 || t.nanos() != 0) {
      return std::nullopt;
    }
    return t.hours() * 60 + t.minutes();
  };
  std::optional<int> start = minute(hours.start());
  std::optional<int> end = minute(hours.end());
  if (!start || !end) return std::nullopt;
  return QuietWindow{*start, *end};
}

dermaflow::patient::v1::QuietHours ToQuietHours(QuietWindow window) {
  dermaflow::patient::v1::QuietHours hours;
  hours.mutable_start()->set_hours(window.start_minute / 60);
  hours.mutable_start()->set_minutes(window.start_minute % 60);
  hours.mutable_end()->set_hours(window.end_minute / 60);
  hours.mutable_end()->set_minutes(window.end_minute % 60);
  return hours;
}

bool RespectsQuietHours(Channel channel) {
  return channel == Channel::CHANNEL_EMAIL || channel == Channel::CHANNEL_SMS;
}

absl::Time ShiftOutOfQuietHours(absl::Time t, QuietWindow window, absl::TimeZone tz) {
  if (window.start_minute == window.end_minute) return t;
  const absl::CivilSecond local = absl::ToCivilSecond(t, tz);
  const int minute = local.hour() * 60 + local.minute();
  absl::CivilDay end_day(local);
  bool quiet = false;
  if (window.start_minute < window.end_minute) {
    quiet = minute >= window.start_minute && minute < window.end_minute;
  } else if (minute >= window.start_minute) {
    quiet = true;  // evening part: the window ends tomorrow morning
    end_day += 1;
  } else {
    quiet = minute < window.end_minute;
  }
  if (!quiet) return t;
  return absl::FromCivil(absl::CivilSecond(end_day.year(), end_day.month(), end_day.day(),
                                           window.end_minute / 60, window.end_minute % 60, 0),
                         tz);
}

}  // namespace dermaflow::notification
