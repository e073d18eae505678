// Racing clients: many bookings for one slot at the same moment, each on its
// own channel. The Lua script decides, so exactly as many succeed as there
// are free practitioner/room pairs, the rest get ALREADY_EXISTS, and no
// calendar holds overlapping appointments afterwards.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

constexpr int kClients = 64;

class ConcurrencyTest : public ::testing::Test {
 protected:
  ConcurrencyTest() : org_(env_.SetUpOrganization("race")) {
    for (int i = 0; i < kClients; ++i) patients_.push_back(env_.CreatePatient(org_));
  }

  // Books patient i with practitioners[i % n] (room optional) from kClients
  // threads released together; returns the status codes.
  std::vector<grpc::StatusCode> Race(const std::vector<std::string>& practitioners,
                                     const std::string& room_id, absl::Time start) {
    std::vector<std::unique_ptr<v1::SchedulingService::Stub>> stubs;
    for (int i = 0; i < kClients; ++i) stubs.push_back(env_.NewSchedulingStub());
    std::vector<grpc::StatusCode> codes(kClients);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
      threads.emplace_back([&, i] {
        v1::BookAppointmentRequest r;
        r.set_patient_id(patients_[i]);
        r.set_protocol_id(org_.hydralift_id);
        r.set_clinic_id(org_.clinic_id);
        r.set_practitioner_id(practitioners[i % practitioners.size()]);
        r.set_room_id(room_id);
        *r.mutable_start_time() = Ts(start);
        r.set_request_id("race-" + std::to_string(i) + "-" + room_id);
        auto ctx = SchedulingEnv::Ctx(org_.practitioner_token);
        ready.fetch_add(1);
        while (ready.load() < kClients) std::this_thread::yield();
        v1::Appointment a;
        grpc::Status status = stubs[i]->BookAppointment(ctx.get(), r, &a);
        codes[i] = status.error_code();
        if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
          ADD_FAILURE() << "client " << i << ": " << status.error_code() << " "
                        << status.error_message();
        }
      });
    }
    for (auto& t : threads) t.join();
    return codes;
  }

  // Every BOOKED appointment of the day, per practitioner and per room,
  // must not overlap (with the clinic's 10 min buffer).
  void ExpectNoOverlaps(const std::vector<std::string>& practitioners, absl::Time day) {
    auto list = [&](const std::string& practitioner, const std::string& room) {
      v1::ListAppointmentsRequest req;
      req.set_clinic_id(org_.clinic_id);
      req.set_practitioner_id(practitioner);
      req.set_room_id(room);
      req.add_states(v1::APPOINTMENT_STATE_BOOKED);
      *req.mutable_time_range()->mutable_start_time() = Ts(day);
      *req.mutable_time_range()->mutable_end_time() = Ts(day + absl::Hours(24));
      req.set_page_size(500);
      v1::ListAppointmentsResponse resp;
      EXPECT_TRUE(env_.scheduling()
                      .ListAppointments(SchedulingEnv::Ctx(org_.reception_token).get(), req, &resp)
                      .ok());
      for (int i = 1; i < resp.appointments_size(); ++i) {
        EXPECT_GE(FromTs(resp.appointments(i).start_time()),
                  FromTs(resp.appointments(i - 1).end_time()) + absl::Minutes(10))
            << "overlap in the calendar of " << practitioner << room;
      }
      return resp.appointments_size();
    };
    int booked = 0;
    for (const auto& p : practitioners) booked += list(p, "");
    int in_rooms = 0;
    for (const auto& r : org_.room_ids) in_rooms += list("", r);
    EXPECT_EQ(booked, in_rooms);  // every booked appointment holds exactly one room
  }

  SchedulingEnv env_;
  Organization org_;
  std::vector<std::string> patients_;
};

TEST_F(ConcurrencyTest, SixtyFourClientsOneSlotExactlyOneWins) {
  const absl::Time start = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  const auto codes = Race({org_.practitioner_id}, org_.room_ids[0], start);
  int ok = 0, conflict = 0;
  for (auto code : codes) {
    ok += code == grpc::StatusCode::OK;
    conflict += code == grpc::StatusCode::ALREADY_EXISTS;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(conflict, kClients - 1);
  EXPECT_EQ(env_.BookingsTotal("booked"), 1);
  EXPECT_EQ(env_.BookingsTotal("conflict"), kClients - 1);
  ExpectNoOverlaps({org_.practitioner_id}, env_.NextLocal(absl::Weekday::wednesday, 0, 0));
  EXPECT_EQ(env_.Events("race").size(), 1u);  // one appointment.booked, no more
}

TEST_F(ConcurrencyTest, ServerChosenRoomsNeverDoubleBook) {
  // Four practitioners and two rooms: only two sessions fit at one time.
  std::vector<std::string> practitioners = {org_.practitioner_id};
  for (const char* name : {"Dr. B", "Dr. C", "Dr. D"}) {
    practitioners.push_back(env_.AddPractitioner(org_, name));
  }
  const absl::Time start = env_.NextLocal(absl::Weekday::thursday, 15, 0);
  const auto codes = Race(practitioners, "", start);
  int ok = 0, conflict = 0;
  for (auto code : codes) {
    ok += code == grpc::StatusCode::OK;
    conflict += code == grpc::StatusCode::ALREADY_EXISTS;
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(conflict, kClients - 2);
  ExpectNoOverlaps(practitioners, env_.NextLocal(absl::Weekday::thursday, 0, 0));
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
