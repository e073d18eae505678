// Concurrent replays of one request_id: a client that retries on a timeout
// can have several copies of one PlanCourse / BookAppointment in flight
// (a plain booking, and a replacement session joining its course).
// Exactly one course (or appointment) is booked and every copy answers with
// it: none sees ALREADY_EXISTS from the sessions its own twin booked.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

constexpr int kReplays = 100;

class ReplayRaceTest : public ::testing::Test {
 protected:
  ReplayRaceTest() : org_(env_.SetUpOrganization("replay")), patient_(env_.CreatePatient(org_)) {
    for (int i = 0; i < kReplays; ++i) stubs_.push_back(env_.NewSchedulingStub());
  }

  // Runs call(i, stub) from kReplays threads released together.
  template <typename Call>
  void Together(Call call) {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kReplays; ++i) {
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kReplays) std::this_thread::yield();
        call(i, *stubs_[i]);
      });
    }
    for (auto& t : threads) t.join();
  }

  // Sends one request from kReplays clients at once; `call(stub)` returns a
  // copy's status and the id it answered with. Expects every copy to succeed
  // with the same id and returns it ("" when they did not).
  template <typename Call>
  std::string TheOneAnswer(Call call) {
    std::vector<grpc::Status> statuses(kReplays);
    std::vector<std::string> ids(kReplays);
    Together([&](int i, v1::SchedulingService::Stub& stub) {
      std::tie(statuses[i], ids[i]) = call(stub);
    });
    std::set<std::string> distinct;
    for (int i = 0; i < kReplays; ++i) {
      EXPECT_TRUE(statuses[i].ok()) << "replay " << i << ": " << statuses[i].error_code() << " "
                                    << statuses[i].error_message();
      if (statuses[i].ok()) distinct.insert(ids[i]);
    }
    EXPECT_EQ(distinct.size(), 1u) << "every replay answers with the same resource";
    return distinct.size() == 1 ? *distinct.begin() : "";
  }

  // One BookAppointment copy as TheOneAnswer wants it.
  std::pair<grpc::Status, std::string> Book(v1::SchedulingService::Stub& stub,
                                            const v1::BookAppointmentRequest& r) {
    v1::Appointment a;
    grpc::Status status =
        stub.BookAppointment(SchedulingEnv::Ctx(org_.practitioner_token).get(), r, &a);
    return {status, a.id()};
  }

  // The patient's BOOKED appointments from `from` on, four weeks of them.
  v1::ListAppointmentsResponse PatientAppointments(absl::Time from) {
    v1::ListAppointmentsRequest req;
    req.set_patient_id(patient_);
    req.add_states(v1::APPOINTMENT_STATE_BOOKED);
    *req.mutable_time_range()->mutable_start_time() = Ts(from - absl::Hours(24));
    *req.mutable_time_range()->mutable_end_time() = Ts(from + absl::Hours(24 * 28));
    req.set_page_size(500);
    v1::ListAppointmentsResponse resp;
    EXPECT_TRUE(env_.scheduling()
                    .ListAppointments(SchedulingEnv::Ctx(org_.reception_token).get(), req, &resp)
                    .ok());
    return resp;
  }

  SchedulingEnv env_;
  Organization org_;
  std::string patient_;
  std::vector<std::unique_ptr<v1::SchedulingService::Stub>> stubs_;
};

TEST_F(ReplayRaceTest, EveryReplayOfAPlanCourseAnswersWithTheOneCourse) {
  const absl::Time first = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  v1::PlanCourseRequest r;
  r.set_patient_id(patient_);
  r.set_protocol_id(org_.hydralift_id);
  r.set_clinic_id(org_.clinic_id);
  r.set_practitioner_id(org_.practitioner_id);
  *r.mutable_first_start_time() = Ts(first);
  r.set_request_id("plan-replayed");

  const std::string course_id = TheOneAnswer([&](v1::SchedulingService::Stub& stub) {
    v1::Course course;
    grpc::Status status =
        stub.PlanCourse(SchedulingEnv::Ctx(org_.practitioner_token).get(), r, &course);
    return std::pair{status, course.id()};
  });
  ASSERT_FALSE(course_id.empty());
  const v1::ListAppointmentsResponse booked = PatientAppointments(first);
  ASSERT_EQ(booked.appointments_size(), 3) << "one course of three sessions, booked once";
  for (const v1::Appointment& a : booked.appointments()) EXPECT_EQ(a.course_id(), course_id);
}

TEST_F(ReplayRaceTest, EveryReplayOfABookAppointmentAnswersWithTheOneAppointment) {
  const absl::Time start = env_.NextLocal(absl::Weekday::thursday, 11, 0);
  v1::BookAppointmentRequest r;
  r.set_patient_id(patient_);
  r.set_protocol_id(org_.hydralift_id);
  r.set_clinic_id(org_.clinic_id);
  r.set_practitioner_id(org_.practitioner_id);
  *r.mutable_start_time() = Ts(start);
  r.set_request_id("book-replayed");
  const std::string id =
      TheOneAnswer([&](v1::SchedulingService::Stub& stub) { return Book(stub, r); });
  ASSERT_FALSE(id.empty());
  const v1::ListAppointmentsResponse booked = PatientAppointments(start);
  ASSERT_EQ(booked.appointments_size(), 1);
  EXPECT_EQ(booked.appointments(0).id(), id);
}

// A replacement session joins its course: a copy that reads the course after
// its twin joined it would see the session taken (COURSE_SESSION_TAKEN).
TEST_F(ReplayRaceTest, EveryReplayOfAReplacementSessionAnswersWithTheOneAppointment) {
  const absl::Time first = env_.NextLocal(absl::Weekday::tuesday, 11, 0);
  v1::PlanCourseRequest plan;
  plan.set_patient_id(patient_);
  plan.set_protocol_id(org_.hydralift_id);
  plan.set_clinic_id(org_.clinic_id);
  plan.set_practitioner_id(org_.practitioner_id);
  *plan.mutable_first_start_time() = Ts(first);
  plan.set_request_id("plan");
  v1::Course course;
  ASSERT_TRUE(env_.scheduling()
                  .PlanCourse(SchedulingEnv::Ctx(org_.practitioner_token).get(), plan, &course)
                  .ok());
  const v1::Appointment s1 = course.appointments(0);
  const v1::Appointment s2 = course.appointments(1);
  // Session 1 done, session 2 missed.
  env_.clock().Set(FromTs(s1.end_time()));
  v1::CompleteAppointmentRequest complete;
  complete.set_id(s1.id());
  complete.mutable_completion()->add_treated_areas(protocol::v1::TREATMENT_AREA_NECK);
  v1::Appointment done;
  ASSERT_TRUE(
      env_.scheduling()
          .CompleteAppointment(SchedulingEnv::Ctx(org_.practitioner_token).get(), complete, &done)
          .ok());
  env_.clock().Set(FromTs(s2.start_time()) + absl::Minutes(20));
  v1::MarkNoShowRequest noshow;
  noshow.set_id(s2.id());
  v1::Appointment missed;
  ASSERT_TRUE(env_.scheduling()
                  .MarkNoShow(SchedulingEnv::Ctx(org_.reception_token).get(), noshow, &missed)
                  .ok());

  v1::BookAppointmentRequest r;
  r.set_patient_id(patient_);
  r.set_protocol_id(org_.hydralift_id);
  r.set_clinic_id(org_.clinic_id);
  r.set_practitioner_id(org_.practitioner_id);
  *r.mutable_start_time() = Ts(FromTs(s2.start_time()) + absl::Hours(48));
  r.set_course_id(course.id());
  r.set_course_session_index(2);
  r.set_request_id("replace-2");
  const std::string id =
      TheOneAnswer([&](v1::SchedulingService::Stub& stub) { return Book(stub, r); });
  ASSERT_FALSE(id.empty()) << "every replay answers with the same replacement";
  v1::GetCourseRequest get;
  get.set_id(course.id());
  v1::Course after;
  ASSERT_TRUE(env_.scheduling()
                  .GetCourse(SchedulingEnv::Ctx(org_.reception_token).get(), get, &after)
                  .ok());
  int replacements = 0;
  for (const std::string& a : after.appointment_ids()) replacements += a == id;
  EXPECT_EQ(replacements, 1) << "the course holds the one replacement";
  const v1::ListAppointmentsResponse booked = PatientAppointments(first);
  int session_2_booked = 0;
  for (const v1::Appointment& a : booked.appointments())
    session_2_booked += a.course_session_index() == 2;
  EXPECT_EQ(session_2_booked, 1) << "session 2 booked once";
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
