// Appointment confirmations on real Redis: the sweeper (with the fake clock)
// sends the request at request_time and marks an unanswered appointment
// NO_ANSWER at the deadline, publishing one event each even when two
// sweepers race; answers are idempotent and final; DECLINED cancels and
// frees the slot; a reschedule starts over; reception's task list filters by
// confirmation state; the clinic's policy is validated and applied.
#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/scheduling/app/confirmations/confirmation_answers.h"
#include "services/scheduling/app/confirmations/confirmation_sweep.h"
#include "services/scheduling/jobs/confirmation_sweeper.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

class ConfirmationTest : public ::testing::Test {
 protected:
  ConfirmationTest()
      : org_(env_.SetUpOrganization("clinic-a")),
        patient_(env_.CreatePatient(org_)),
        sweeper_(env_.deps(), nullptr, absl::Seconds(15)) {}

  std::unique_ptr<grpc::ClientContext> AsReception() {
    return SchedulingEnv::Ctx(org_.reception_token);
  }

  grpc::Status Book(const std::string& patient, absl::Time start, const std::string& id,
                    v1::Appointment* out) {
    return env_.BookCollagen(org_, patient, start, id, out);
  }

  v1::Appointment BookOk(absl::Time start, const std::string& id) {
    v1::Appointment a;
    grpc::Status s = Book(patient_, start, id, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return a;
  }

  v1::Appointment Get(const std::string& id) {
    v1::GetAppointmentRequest r;
    r.set_id(id);
    v1::Appointment a;
    EXPECT_TRUE(env_.scheduling().GetAppointment(AsReception().get(), r, &a).ok());
    return a;
  }

  grpc::Status Confirm(const std::string& id, v1::ConfirmationState answer, v1::Appointment* out,
                       const std::string& etag = "") {
    v1::ConfirmAppointmentRequest r;
    r.set_id(id);
    r.set_answer(answer);
    r.set_etag(etag);
    return env_.scheduling().ConfirmAppointment(AsReception().get(), r, out);
  }

  // Events of one payload kind for one appointment.
  std::vector<events::v1::Event> EventsOf(events::v1::Event::PayloadCase kind,
                                          const std::string& appointment_id) {
    std::vector<events::v1::Event> out;
    for (events::v1::Event& e : env_.Events(org_.org)) {
      if (e.payload_case() != kind) continue;
      const events::v1::AppointmentInfo* info = nullptr;
      switch (kind) {
        case events::v1::Event::kAppointmentConfirmationRequested:
          info = &e.appointment_confirmation_requested().appointment();
          break;
        case events::v1::Event::kAppointmentConfirmationUnanswered:
          info = &e.appointment_confirmation_unanswered().appointment();
          break;
        case events::v1::Event::kAppointmentConfirmed:
          info = &e.appointment_confirmed().appointment();
          break;
        case events::v1::Event::kAppointmentRescheduleRequested:
          info = &e.appointment_reschedule_requested().appointment();
          break;
        case events::v1::Event::kAppointmentCancelled:
          info = &e.appointment_cancelled().appointment();
          break;
        default:
          break;
      }
      if (info != nullptr && info->appointment_id() == appointment_id) out.push_back(e);
    }
    return out;
  }

  std::vector<std::string> Tasks(absl::Time from, absl::Time to) {
    v1::ListAppointmentsRequest r;
    r.set_clinic_id(org_.clinic_id);
    *r.mutable_time_range()->mutable_start_time() = Ts(from);
    *r.mutable_time_range()->mutable_end_time() = Ts(to);
    r.add_confirmation_states(v1::CONFIRMATION_STATE_NO_ANSWER);
    r.add_confirmation_states(v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED);
    v1::ListAppointmentsResponse response;
    grpc::Status s = env_.scheduling().ListAppointments(AsReception().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& a : response.appointments()) ids.push_back(a.id());
    return ids;
  }

  SchedulingEnv env_;
  Organization org_;
  std::string patient_;
  ConfirmationSweeper sweeper_;
};

TEST_F(ConfirmationTest, SweeperRequestsThenMarksNoAnswerOnce) {
  const absl::Time start = env_.NextLocal(absl::Weekday::wednesday, 10, 0, 7);
  const v1::Appointment booked = BookOk(start, "book-1");
  ASSERT_EQ(booked.confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  const absl::Time request = FromTs(booked.confirmation().request_time());
  EXPECT_EQ(request, start - absl::Hours(48));  // Berlin has no DST change mid-week here
  EXPECT_EQ(FromTs(booked.confirmation().answer_deadline()), request + absl::Hours(24));

  env_.clock().Set(request - absl::Minutes(1));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);

  env_.clock().Set(request);
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  ASSERT_TRUE(sweeper_.RunOnce().ok());  // nothing more to do
  const v1::Appointment requested = Get(booked.id());
  EXPECT_EQ(requested.confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_NE(requested.etag(), booked.etag());
  auto sent = EventsOf(events::v1::Event::kAppointmentConfirmationRequested, booked.id());
  ASSERT_EQ(sent.size(), 1u);
  const auto& payload = sent[0].appointment_confirmation_requested();
  EXPECT_EQ(payload.appointment().confirmation_state(), v1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_EQ(payload.appointment().patient_id(), patient_);
  EXPECT_EQ(payload.appointment().clinic_time_zone(), "Europe/Berlin");
  EXPECT_FALSE(payload.appointment().practitioner_display_name().empty());
  EXPECT_EQ(FromTs(payload.answer_deadline()), request + absl::Hours(24));
  EXPECT_EQ(sent[0].actor(), kConfirmationActor);
  EXPECT_TRUE(Tasks(start - absl::Hours(1), start + absl::Hours(1)).empty());

  env_.clock().Set(request + absl::Hours(24));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_NO_ANSWER);
  EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentConfirmationUnanswered, booked.id()).size(),
            1u);
  EXPECT_EQ(Tasks(start - absl::Hours(1), start + absl::Hours(1)),
            std::vector<std::string>{booked.id()});
  EXPECT_EQ(Get(booked.id()).state(), v1::APPOINTMENT_STATE_BOOKED);  // never a silent cancel
}

TEST_F(ConfirmationTest, BookedForTomorrowIsAskedOnTheNextPass) {
  const absl::Time start = env_.NextLocal(absl::Weekday::thursday, 11, 0, 2);
  env_.clock().Set(start - absl::Hours(20));
  const v1::Appointment booked = BookOk(start, "book-soon");
  EXPECT_EQ(FromTs(booked.confirmation().request_time()), env_.clock().Now());
  EXPECT_EQ(FromTs(booked.confirmation().answer_deadline()), start);
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_EQ(env_.ConfirmationsTotal("requested", "none"), 1);
}

TEST_F(ConfirmationTest, TwoSweepersNeverPublishTwice) {
  const absl::Time monday = env_.NextLocal(absl::Weekday::monday, 9, 0, 7);
  std::vector<std::string> ids;
  ids.reserve(8);
  for (int i = 0; i < 8; ++i) {
    ids.push_back(BookOk(monday + absl::Hours(i), "race-" + std::to_string(i)).id());
  }
  env_.clock().Set(monday - absl::Hours(40));
  ConfirmationSweeper other(env_.deps(), nullptr, absl::Seconds(15), /*batch=*/3);
  ConfirmationSweeper small(env_.deps(), nullptr, absl::Seconds(15), /*batch=*/2);
  std::atomic<int> failures{0};
  std::thread a([&] {
    for (int i = 0; i < 4; ++i) failures += small.RunOnce().ok() ? 0 : 1;
  });
  std::thread b([&] {
    for (int i = 0; i < 4; ++i) failures += other.RunOnce().ok() ? 0 : 1;
  });
  a.join();
  b.join();
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(failures, 0);
  for (const std::string& id : ids) {
    EXPECT_EQ(Get(id).confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED) << id;
    EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentConfirmationRequested, id).size(), 1u) << id;
  }
  EXPECT_EQ(env_.ConfirmationsTotal("requested", "none"), 8);
}

TEST_F(ConfirmationTest, StaffAnswerIsIdempotentAndFinal) {
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 14, 0, 7);
  const v1::Appointment booked = BookOk(start, "book-2");
  v1::Appointment confirmed;
  ASSERT_TRUE(
      Confirm(booked.id(), v1::CONFIRMATION_STATE_CONFIRMED, &confirmed, booked.etag()).ok());
  EXPECT_EQ(confirmed.confirmation().state(), v1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(confirmed.confirmation().answered_via(), v1::CONFIRMATION_CHANNEL_STAFF);
  EXPECT_FALSE(confirmed.confirmation().answered_by().empty());

  v1::Appointment again;
  ASSERT_TRUE(Confirm(booked.id(), v1::CONFIRMATION_STATE_CONFIRMED, &again).ok());
  EXPECT_EQ(again.etag(), confirmed.etag());  // nothing written
  // The patient's link answer (what PatientActionService calls) is the same answer.
  const common::Caller service{.organization = org_.org, .subject = "patient-action"};
  absl::StatusOr<v1::Appointment> by_link =
      AnswerConfirmation(env_.deps(), CallContext{service}, booked.id(),
                         v1::CONFIRMATION_STATE_CONFIRMED, ConfirmationChannel::kLink);
  ASSERT_TRUE(by_link.ok()) << by_link.status();
  EXPECT_EQ(by_link->etag(), confirmed.etag());
  EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentConfirmed, booked.id()).size(), 1u);
  EXPECT_EQ(env_.ConfirmationsTotal("confirmed", "staff"), 1);

  v1::Appointment refused;
  grpc::Status declined = Confirm(booked.id(), v1::CONFIRMATION_STATE_DECLINED, &refused);
  EXPECT_EQ(declined.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_EQ(PreconditionFailureOf(declined).violations_size(), 1);
  EXPECT_EQ(PreconditionFailureOf(declined).violations(0).type(), "CONFIRMATION_ANSWERED");
  EXPECT_EQ(Get(booked.id()).state(), v1::APPOINTMENT_STATE_BOOKED);

  // Answered appointments leave the sweeper alone: no request goes out.
  env_.clock().Set(start - absl::Hours(47));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_TRUE(EventsOf(events::v1::Event::kAppointmentConfirmationRequested, booked.id()).empty());

  grpc::Status stale =
      Confirm(booked.id(), v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED, &refused, booked.etag());
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  grpc::Status bad = Confirm(booked.id(), v1::CONFIRMATION_STATE_NO_ANSWER, &refused);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(bad), std::vector<std::string>{"answer"});
}

TEST_F(ConfirmationTest, DeclineCancelsAndFreesTheSlot) {
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 15, 0, 7);
  const v1::Appointment booked = BookOk(start, "book-3");
  const std::string other = env_.CreatePatient(org_);
  v1::Appointment blocked;
  ASSERT_EQ(Book(other, start, "book-other-1", &blocked).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  const common::Caller service{.organization = org_.org, .subject = "patient-action"};
  absl::StatusOr<v1::Appointment> declined =
      AnswerConfirmation(env_.deps(), CallContext{service}, booked.id(),
                         v1::CONFIRMATION_STATE_DECLINED, ConfirmationChannel::kSms);
  ASSERT_TRUE(declined.ok()) << declined.status();
  EXPECT_EQ(declined->state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(declined->cancellation().reason(), v1::CANCELLATION_REASON_PATIENT_REQUEST);
  EXPECT_EQ(declined->confirmation().state(), v1::CONFIRMATION_STATE_DECLINED);
  auto cancelled = EventsOf(events::v1::Event::kAppointmentCancelled, booked.id());
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].appointment_cancelled().reason(), v1::CANCELLATION_REASON_PATIENT_REQUEST);
  EXPECT_EQ(cancelled[0].appointment_cancelled().appointment().confirmation_state(),
            v1::CONFIRMATION_STATE_DECLINED);
  EXPECT_EQ(env_.ConfirmationsTotal("declined", "sms"), 1);

  v1::Appointment fits;
  grpc::Status s = Book(other, start, "book-other-2", &fits);
  EXPECT_TRUE(s.ok()) << s.error_message();

  // Declining again is harmless; confirming a cancelled appointment is not allowed.
  v1::Appointment out;
  EXPECT_TRUE(Confirm(booked.id(), v1::CONFIRMATION_STATE_DECLINED, &out).ok());
  EXPECT_EQ(Confirm(booked.id(), v1::CONFIRMATION_STATE_CONFIRMED, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentCancelled, booked.id()).size(), 1u);
}

TEST_F(ConfirmationTest, RescheduleStartsOver) {
  const absl::Time start = env_.NextLocal(absl::Weekday::wednesday, 9, 0, 7);
  const v1::Appointment booked = BookOk(start, "book-4");
  env_.clock().Set(start - absl::Hours(47));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  v1::Appointment asked = Get(booked.id());
  ASSERT_EQ(asked.confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED);
  v1::Appointment wants_other;
  ASSERT_TRUE(Confirm(booked.id(), v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED, &wants_other).ok());
  EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentRescheduleRequested, booked.id()).size(), 1u);
  EXPECT_EQ(Tasks(start - absl::Hours(1), start + absl::Hours(1)),
            std::vector<std::string>{booked.id()});

  const absl::Time later = start + absl::Hours(24 * 7);
  v1::RescheduleAppointmentRequest move;
  move.set_id(booked.id());
  move.set_etag(wants_other.etag());
  *move.mutable_start_time() = Ts(later);
  v1::Appointment moved;
  grpc::Status s = env_.scheduling().RescheduleAppointment(AsReception().get(), move, &moved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(moved.confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  EXPECT_EQ(FromTs(moved.confirmation().request_time()), later - absl::Hours(48));
  EXPECT_TRUE(Tasks(later - absl::Hours(1), later + absl::Hours(1)).empty());

  // The old deadline passes without effect; the new request time asks again.
  env_.clock().Set(start);
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  env_.clock().Set(later - absl::Hours(48));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_EQ(EventsOf(events::v1::Event::kAppointmentConfirmationRequested, booked.id()).size(), 2u);
}

TEST_F(ConfirmationTest, ClinicPolicyIsValidatedAndApplied) {
  v1::GetClinicRequest get;
  get.set_id(org_.clinic_id);
  v1::Clinic clinic;
  ASSERT_TRUE(
      env_.scheduling().GetClinic(SchedulingEnv::Ctx(org_.admin_token).get(), get, &clinic).ok());
  v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic;
  update.mutable_update_mask()->add_paths("confirmation_policy");
  auto* policy = update.mutable_clinic()->mutable_confirmation_policy();
  policy->mutable_request_lead()->set_seconds(int64_t{3} * 3600);
  policy->mutable_answer_within()->set_seconds(int64_t{4} * 3600);
  v1::Clinic updated;
  grpc::Status bad =
      env_.scheduling().UpdateClinic(SchedulingEnv::Ctx(org_.admin_token).get(), update, &updated);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(bad), std::vector<std::string>{"clinic.confirmation_policy.answer_within"});

  policy->mutable_answer_within()->set_seconds(3600);
  ASSERT_TRUE(env_.scheduling()
                  .UpdateClinic(SchedulingEnv::Ctx(org_.admin_token).get(), update, &updated)
                  .ok());
  EXPECT_EQ(updated.confirmation_policy().request_lead().seconds(), int64_t{3} * 3600);
  const absl::Time start = env_.NextLocal(absl::Weekday::friday, 12, 0, 7);
  const v1::Appointment booked = BookOk(start, "book-5");
  EXPECT_EQ(FromTs(booked.confirmation().request_time()), start - absl::Hours(3));
  EXPECT_EQ(FromTs(booked.confirmation().answer_deadline()), start - absl::Hours(2));

  *update.mutable_clinic() = updated;
  update.mutable_clinic()->mutable_confirmation_policy()->set_disabled(true);
  ASSERT_TRUE(env_.scheduling()
                  .UpdateClinic(SchedulingEnv::Ctx(org_.admin_token).get(), update, &updated)
                  .ok());
  // Switched off after booking: the sweeper asks nothing.
  env_.clock().Set(start - absl::Hours(3));
  ASSERT_TRUE(sweeper_.RunOnce().ok());
  EXPECT_EQ(Get(booked.id()).confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  EXPECT_TRUE(EventsOf(events::v1::Event::kAppointmentConfirmationRequested, booked.id()).empty());
  const v1::Appointment unasked = BookOk(start + absl::Hours(24 * 7), "book-6");
  EXPECT_FALSE(unasked.confirmation().has_request_time());
}

TEST_F(ConfirmationTest, ManyDueRequestsGoOutInBoundedBatches) {
  // A 30-day lead: every appointment of the next three weeks is due at once.
  v1::GetClinicRequest get;
  get.set_id(org_.clinic_id);
  v1::Clinic clinic;
  ASSERT_TRUE(
      env_.scheduling().GetClinic(SchedulingEnv::Ctx(org_.admin_token).get(), get, &clinic).ok());
  v1::UpdateClinicRequest update;
  *update.mutable_clinic() = clinic;
  update.mutable_update_mask()->add_paths("confirmation_policy");
  update.mutable_clinic()->mutable_confirmation_policy()->mutable_request_lead()->set_seconds(
      int64_t{720} * 3600);
  v1::Clinic updated;
  ASSERT_TRUE(env_.scheduling()
                  .UpdateClinic(SchedulingEnv::Ctx(org_.admin_token).get(), update, &updated)
                  .ok());
  // 16 sessions a weekday (30 min + 10 min buffer, 08:00-18:40) for 15 weekdays.
  constexpr int kCount = 240;
  absl::CivilDay day = absl::ToCivilDay(env_.NextLocal(absl::Weekday::monday, 8, 0, 1), Berlin());
  int booked = 0;
  while (booked < kCount) {
    if (absl::GetWeekday(day) != absl::Weekday::saturday &&
        absl::GetWeekday(day) != absl::Weekday::sunday) {
      for (int i = 0; i < 16 && booked < kCount; ++i, ++booked) {
        const absl::Time start =
            absl::FromCivil(absl::CivilMinute(day) + int64_t{480} + int64_t{40} * i, Berlin());
        BookOk(start, "many-" + std::to_string(booked));
      }
    }
    ++day;
  }

  ConfirmationSweep sweep(env_.deps(), /*batch=*/100);
  absl::StatusOr<SweepTotals> first = sweep.SweepOrganization(org_.org);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->checked, 100);
  EXPECT_EQ(first->requested, 100);
  EXPECT_TRUE(first->more);

  ConfirmationSweeper sweeper(env_.deps(), nullptr, absl::Seconds(15), /*batch=*/100);
  const absl::Time began = absl::Now();
  ASSERT_TRUE(sweeper.RunOnce().ok());  // the other 140, in rounds of 100
  const absl::Duration took = absl::Now() - began;
  int events = 0;
  for (const events::v1::Event& e : env_.Events(org_.org)) {
    if (e.has_appointment_confirmation_requested()) ++events;
  }
  EXPECT_EQ(events, kCount);
  EXPECT_EQ(env_.ConfirmationsTotal("requested", "none"), kCount);
  RecordProperty("ms_per_request_sent",
                 absl::StrCat(absl::ToDoubleMilliseconds(took) / (kCount - 100)));
  std::cout << "sweep: " << kCount - 100 << " requests in " << took << "\n";
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
