// Fixtures for the scheduling unit tests: a Berlin clinic open Mon-Fri
// 09:00-18:00 (closed Sat/Sun), a practitioner working there 09:00-17:00, and
// helpers for Berlin local times.
#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"

namespace dermaflow::scheduling::testing {

inline absl::TimeZone Berlin() {
  absl::TimeZone tz;
  absl::LoadTimeZone("Europe/Berlin", &tz);
  return tz;
}

// A Berlin wall-clock time.
inline absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), Berlin());
}

inline google::type::TimeOfDay Tod(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

inline v1::Clinic BerlinClinic() {
  v1::Clinic c;
  c.set_id("cl_berlin");
  c.set_display_name("Dermaflow Berlin Mitte");
  c.set_time_zone("Europe/Berlin");
  for (auto day : {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY,
                   google::type::THURSDAY, google::type::FRIDAY}) {
    auto* h = c.add_opening_hours();
    h->set_day_of_week(day);
    *h->mutable_open() = Tod(9, 0);
    *h->mutable_close() = Tod(18, 0);
  }
  c.mutable_buffer()->set_seconds(int64_t{10} * 60);
  c.mutable_slot_interval()->set_seconds(int64_t{15} * 60);
  return c;
}

inline v1::Practitioner Weber() {
  v1::Practitioner p;
  p.set_id("pr_weber");
  p.set_display_name("Dr. Anna Weber");
  p.add_clinic_ids("cl_berlin");
  for (auto day : {google::type::MONDAY, google::type::TUESDAY, google::type::WEDNESDAY,
                   google::type::THURSDAY, google::type::FRIDAY}) {
    auto* h = p.add_working_hours();
    h->set_clinic_id("cl_berlin");
    h->set_day_of_week(day);
    *h->mutable_start() = Tod(9, 0);
    *h->mutable_end() = Tod(17, 0);
  }
  p.add_qualified_categories(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  p.set_is_physician(true);
  return p;
}

inline protocol::v1::Protocol Hydralift() {
  protocol::v1::Protocol p;
  p.set_id("pt_hydralift");
  p.set_version(1);
  p.set_category(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  p.add_areas(protocol::v1::TREATMENT_AREA_FACE);
  p.add_areas(protocol::v1::TREATMENT_AREA_NECK);
  p.mutable_session_duration()->set_seconds(int64_t{30} * 60);
  p.mutable_course_plan()->set_session_count(3);
  p.mutable_course_plan()->mutable_interval()->set_seconds(int64_t{7} * 86400);
  p.mutable_course_plan()->mutable_tolerance()->set_seconds(int64_t{2} * 86400);
  p.mutable_maintenance()->set_interval_months(6);
  p.set_requires_physician(true);
  return p;
}

}  // namespace dermaflow::scheduling::testing
