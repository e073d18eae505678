#include "common/time/time_zone_name.h"

#include <string>

#include "absl/strings/ascii.h"

namespace dermaflow::common {

bool IsIanaTimeZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 ||
      !absl::ascii_isupper(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  int parts = 1;
  char previous = '/';
  for (char c : name) {
    if (c == '/') {
      if (previous == '/' || ++parts > 3) return false;
    } else if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+' &&
               c != '-') {
      return false;
    }
    previous = c;
  }
  return previous != '/';
}

bool LoadIanaTimeZone(std::string_view name, absl::TimeZone* zone) {
  return IsIanaTimeZoneName(name) && absl::LoadTimeZone(std::string(name), zone);
}

}  // namespace dermaflow::common
