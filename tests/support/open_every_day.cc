#include "tests/support/open_every_day.h"

#include "dermaflow/protocol/v1/protocol.pb.h"

namespace dermaflow::testing {
namespace {

google::type::TimeOfDay Hour(int h) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  return t;
}

}  // namespace

void OpenEveryDay(scheduling::v1::Clinic& clinic) {
  for (int day = 1; day <= 7; ++day) {
    auto* h = clinic.add_opening_hours();
    h->set_day_of_week(static_cast<google::type::DayOfWeek>(day));
    *h->mutable_open() = Hour(8);
    *h->mutable_close() = Hour(20);
  }
}

void WorkEveryDay(scheduling::v1::Practitioner& practitioner, const std::string& clinic_id) {
  practitioner.set_is_physician(true);
  for (int category = 1; category <= 6; ++category) {
    practitioner.add_qualified_categories(static_cast<protocol::v1::ProtocolCategory>(category));
  }
  for (int day = 1; day <= 7; ++day) {
    auto* w = practitioner.add_working_hours();
    w->set_clinic_id(clinic_id);
    w->set_day_of_week(static_cast<google::type::DayOfWeek>(day));
    *w->mutable_start() = Hour(8);
    *w->mutable_end() = Hour(20);
  }
}

}  // namespace dermaflow::testing
