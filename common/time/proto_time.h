// Conversions between the API's time messages (google.protobuf.Timestamp and
// Duration, google.type.Date) and Abseil's types, written once for every
// service and tool.
//
//   absl::Time start = ToTime(request.start_time());
//   *appointment.mutable_end_time() = ToTimestamp(start + ToDuration(length));
#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace dermaflow::common {

absl::Time ToTime(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Duration ToDuration(const google::protobuf::Duration& d);
google::protobuf::Duration ToProtoDuration(absl::Duration d);
google::type::Date ToDate(absl::CivilDay day);

}  // namespace dermaflow::common
