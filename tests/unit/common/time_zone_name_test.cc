#include "common/time/time_zone_name.h"

#include <string>

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(TimeZoneNameTest, AcceptsIanaNames) {
  for (const char* name : {"Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+1",
                           "America/Port-au-Prince"}) {
    absl::TimeZone tz;
    EXPECT_TRUE(LoadIanaTimeZone(name, &tz)) << name;
  }
}

// The zones a security review got accepted as a clinic's zone (issue 16).
TEST(TimeZoneNameTest, RefusesPathsAndTzdataFiles) {
  for (const std::string name :
       {std::string("/etc/localtime"), std::string("../../../../usr/share/zoneinfo/Europe/Berlin"),
        std::string("localtime"), std::string("posixrules"), std::string("Europe/Berlin\0x", 15),
        std::string("posix/Europe/Berlin"), std::string("right/UTC"), std::string("Europe//Berlin"),
        std::string("Europe/Berlin/"), std::string("Europe/Atlantis"), std::string(""),
        std::string(65, 'A')}) {
    absl::TimeZone tz;
    EXPECT_FALSE(LoadIanaTimeZone(name, &tz)) << name;
  }
}

}  // namespace
}  // namespace dermaflow::common
