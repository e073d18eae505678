// kill -9 of the notification process in the middle of a clinic day: events
// published while it is down and reminders it had claimed when it died are
// all delivered after a restart, each exactly once.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr int kPatients = 8;

TEST(NotificationCrashTest, NothingIsLostAcrossKillNine) {
  Suite suite({.time_travel = true});
  Stubs api(suite);
  Organization org;
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api, &org));
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  const absl::CivilDay day = absl::ToCivilDay(suite.clock().Now(), berlin) + 1;

  // One single hydralift session each, every 30 minutes from 10:00.
  std::vector<sv1::Appointment> booked;
  for (int i = 0; i < kPatients; ++i) {
    pv1::CreatePatientRequest create;
    create.set_request_id(absl::StrCat("crash-patient-", i));
    *create.mutable_patient() = NewPatient("Test", absl::StrCat("Patient", i), i % 2 ? "en" : "de",
                                           absl::StrCat("p", i, "@example.org"), "");
    pv1::Patient patient;
    ASSERT_RPC_OK(
        api.Call([&](auto* c) { return api.patients->CreatePatient(c, create, &patient); }));
    sv1::BookAppointmentRequest book;
    book.set_request_id(absl::StrCat("crash-booking-", i));
    book.set_patient_id(patient.id());
    book.set_protocol_id(org.hydralift);
    book.set_clinic_id(org.berlin_clinic);
    book.set_practitioner_id(org.practitioner);
    book.add_areas(prv1::TREATMENT_AREA_FACE);
    book.mutable_start_time()->set_seconds(
        absl::ToUnixSeconds(absl::FromCivil(absl::CivilMinute(day) + 10 * 60 + 30 * i, berlin)));
    sv1::Appointment appointment;
    ASSERT_RPC_OK(
        api.Call([&](auto* c) { return api.scheduling->BookAppointment(c, book, &appointment); }));
    booked.push_back(appointment);
  }
  suite.clock().AdvanceTo(absl::FromCivil(absl::CivilMinute(day) + 15 * 60, berlin));

  auto complete = [&](const sv1::Appointment& a) {
    sv1::CompleteAppointmentRequest req;
    req.set_id(a.id());
    req.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_FACE);
    req.mutable_completion()->add_side_effects(sv1::SIDE_EFFECT_BRUISING);
    sv1::Appointment done;
    return api.Call([&](auto* c) { return api.scheduling->CompleteAppointment(c, req, &done); });
  };
  // Half the day with the dispatcher running; it dies while delivering.
  for (int i = 0; i < kPatients / 2; ++i) ASSERT_RPC_OK(complete(booked[i]));
  suite.KillNotification();
  // The other half while it is down: the events wait in the stream.
  for (int i = kPatients / 2; i < kPatients; ++i) ASSERT_RPC_OK(complete(booked[i]));
  suite.StartNotification();
  api.Reconnect();

  auto aftercare_count = [&](const sv1::Appointment& a) {
    int n = 0;
    for (const auto& d : Deliveries(api, a.patient_id())) {
      n += d.kind() == nv1::REMINDER_KIND_AFTERCARE && d.appointment_id() == a.id();
    }
    return n;
  };
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& a : booked) {
          if (aftercare_count(a) == 0) return false;
        }
        return true;
      },
      absl::Seconds(40)))
      << suite.Logs();
  for (const auto& a : booked) {
    EXPECT_EQ(aftercare_count(a), 1) << "appointment " << a.id();
    nv1::ListRemindersRequest filter;
    filter.set_appointment_id(a.id());
    filter.add_kinds(nv1::REMINDER_KIND_AFTERCARE);
    auto reminders = Reminders(api, filter);
    ASSERT_EQ(reminders.size(), 1u) << "appointment " << a.id();
    EXPECT_EQ(reminders[0].state(), nv1::REMINDER_STATE_DELIVERED);
  }
  nv1::GetQueueStatsRequest stats_req;
  nv1::QueueStats stats;
  ASSERT_RPC_OK(
      api.Call([&](auto* c) { return api.notifications->GetQueueStats(c, stats_req, &stats); }));
  EXPECT_EQ(stats.dead_letter(), 0) << stats.DebugString();
  if (HasFailure()) std::cerr << suite.Logs();
}

}  // namespace
}  // namespace dermaflow::e2e
