// The waitlist with real Redis, the real patient and protocol services and
// scheduling's own event intake: a cancelled slot is offered to the best
// entries and held; of two racing acceptances exactly one books it, the
// other is told OFFER_TAKEN, and nobody double-books; an expired hold moves
// to the next entry; quiet hours and new contraindications skip an entry; a
// replayed event offers nothing twice; erasing a patient mid-course offers
// the freed sessions.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/app/appointments/patient_erasure.h"
#include "services/scheduling/app/waitlist/offer_answers.h"
#include "services/scheduling/app/waitlist/offer_sweeper.h"
#include "services/scheduling/app/waitlist/slot_offers.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/intake/event_intake.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

class WaitlistTest : public ::testing::Test {
 protected:
  WaitlistTest() : org_(env_.SetUpOrganization("clinic-a")) {
    // Nobody is inside quiet hours unless a test says so.
    env_.waitlist_settings().default_quiet_hours = {0, 0};
    env_.waitlist_settings().offers_per_slot = 2;
    Rebuild();
  }

  // SlotOffers, intake and sweeper on the current settings.
  void Rebuild() {
    sweeper_.reset();
    intake_.reset();
    offers_ = std::make_unique<SlotOffers>(env_.waitlist_deps());
    erasure_ = std::make_unique<PatientErasure>(env_.deps());
    intake_ = std::make_unique<EventIntake>(
        env_.redis(), *erasure_, registry_,
        common::EventConsumerOptions{
            .group = "scheduling", .consumer = "test-1", .block_timeout = absl::Milliseconds(50)},
        offers_.get(), &env_.waitlist_metrics());
    sweeper_ =
        std::make_unique<OfferSweeper>(env_.waitlist_deps().store, *offers_,
                                       env_.waitlist_metrics(), env_.clock(), absl::Hours(1));
  }

  std::unique_ptr<grpc::ClientContext> AsReception() {
    return SchedulingEnv::Ctx(org_.reception_token);
  }

  v1::Appointment Book(const std::string& patient, absl::Time start, const std::string& id,
                       const std::string& protocol = "") {
    v1::BookAppointmentRequest r;
    r.set_patient_id(patient);
    r.set_protocol_id(protocol.empty() ? org_.collagen_id : protocol);
    r.set_clinic_id(org_.clinic_id);
    r.set_practitioner_id(org_.practitioner_id);
    *r.mutable_start_time() = Ts(start);
    r.set_request_id(id);
    v1::Appointment a;
    grpc::Status s =
        env_.scheduling().BookAppointment(SchedulingEnv::Ctx(org_.practitioner_token).get(), r, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return a;
  }

  void Cancel(const v1::Appointment& a) {
    v1::CancelAppointmentRequest r;
    r.set_id(a.id());
    r.set_etag(a.etag());
    r.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
    v1::Appointment out;
    grpc::Status s = env_.scheduling().CancelAppointment(AsReception().get(), r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status AddEntry(const std::string& patient, absl::Time around, v1::WaitlistEntry* out,
                        const std::string& protocol = "") {
    v1::CreateWaitlistEntryRequest r;
    v1::WaitlistEntry* e = r.mutable_entry();
    e->set_patient_id(patient);
    e->set_protocol_id(protocol.empty() ? org_.collagen_id : protocol);
    e->set_clinic_id(org_.clinic_id);
    const absl::CivilDay day = absl::ToCivilDay(around, Berlin());
    *e->mutable_earliest_date() = ToDate(day - 7);
    *e->mutable_latest_date() = ToDate(day + 30);
    r.set_request_id("entry-" + patient + protocol);
    return env_.scheduling().CreateWaitlistEntry(AsReception().get(), r, out);
  }

  v1::WaitlistEntry Entry(const std::string& patient, absl::Time around,
                          const std::string& protocol = "") {
    v1::WaitlistEntry e;
    grpc::Status s = AddEntry(patient, around, &e, protocol);
    EXPECT_TRUE(s.ok()) << s.error_message();
    env_.clock().Advance(absl::Seconds(1));  // distinct create times: a clear order
    return e;
  }

  std::vector<v1::WaitlistOffer> OffersOf(const std::string& entry_id) {
    v1::ListWaitlistOffersRequest r;
    r.set_entry_id(entry_id);
    v1::ListWaitlistOffersResponse out;
    EXPECT_TRUE(env_.scheduling().ListWaitlistOffers(AsReception().get(), r, &out).ok());
    return {out.offers().begin(), out.offers().end()};
  }

  v1::WaitlistEntry Get(const std::string& id) {
    v1::GetWaitlistEntryRequest r;
    r.set_id(id);
    v1::WaitlistEntry e;
    EXPECT_TRUE(env_.scheduling().GetWaitlistEntry(AsReception().get(), r, &e).ok());
    return e;
  }

  grpc::Status Accept(v1::SchedulingService::Stub& stub, const std::string& offer_id,
                      v1::Appointment* out) {
    v1::AcceptWaitlistOfferRequest r;
    r.set_offer_id(offer_id);
    return stub.AcceptWaitlistOffer(AsReception().get(), r, out);
  }

  // Polls the intake until every event so far is handled (bounded).
  void Consume() {
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(intake_->PollOnce().ok());
  }

  int OffersMadeEvents() {
    int n = 0;
    for (const events::v1::Event& e : env_.Events("clinic-a")) n += e.has_waitlist_offer_made();
    return n;
  }

  SchedulingEnv env_;
  Organization org_;
  prometheus::Registry registry_;
  std::unique_ptr<SlotOffers> offers_;
  std::unique_ptr<PatientErasure> erasure_;
  std::unique_ptr<EventIntake> intake_;
  std::unique_ptr<OfferSweeper> sweeper_;
};

TEST_F(WaitlistTest, CreateValidatesNamesTheFieldAndScreens) {
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 10, 0);
  v1::WaitlistEntry e;
  v1::CreateWaitlistEntryRequest bad;
  bad.mutable_entry()->set_patient_id(env_.CreatePatient(org_));
  bad.mutable_entry()->set_protocol_id(org_.collagen_id);
  bad.mutable_entry()->set_clinic_id(org_.clinic_id);
  bad.set_request_id("bad-1");
  grpc::Status s = env_.scheduling().CreateWaitlistEntry(AsReception().get(), bad, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("entry.earliest_date"));

  const std::string pregnant =
      env_.CreatePatient(org_, [](patient::v1::MedicalProfile* m) { m->set_pregnant(true); });
  s = AddEntry(pregnant, start, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  const v1::WaitlistEntry ok = Entry(env_.CreatePatient(org_), start);
  EXPECT_EQ(ok.state(), v1::WAITLIST_ENTRY_STATE_WAITING);
  v1::WaitlistEntry again;  // the same request_id: the same entry
  ASSERT_TRUE(AddEntry(ok.patient_id(), start, &again).ok());
  EXPECT_EQ(again.id(), ok.id());
}

TEST_F(WaitlistTest, CancelOffersTheBestEntriesAndTheFirstOfTwoRacingAcceptancesBooks) {
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 10, 0);
  const v1::Appointment booked = Book(env_.CreatePatient(org_), start, "book-1");
  const v1::WaitlistEntry first = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry second = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry third = Entry(env_.CreatePatient(org_), start);
  Cancel(booked);
  Consume();

  ASSERT_THAT(OffersOf(first.id()), SizeIs(1));
  ASSERT_THAT(OffersOf(second.id()), SizeIs(1));
  EXPECT_THAT(OffersOf(third.id()), SizeIs(0));  // two offers per slot
  EXPECT_EQ(Get(first.id()).state(), v1::WAITLIST_ENTRY_STATE_OFFERED);
  EXPECT_EQ(OffersMadeEvents(), 2);
  const v1::WaitlistOffer a = OffersOf(first.id())[0];
  const v1::WaitlistOffer b = OffersOf(second.id())[0];
  EXPECT_EQ(a.state(), v1::WAITLIST_OFFER_STATE_OPEN);
  EXPECT_EQ(FromTs(a.start_time()), start);

  // Held: a normal booking cannot take the slot.
  v1::BookAppointmentRequest other;
  other.set_patient_id(env_.CreatePatient(org_));
  other.set_protocol_id(org_.collagen_id);
  other.set_clinic_id(org_.clinic_id);
  other.set_practitioner_id(org_.practitioner_id);
  *other.mutable_start_time() = Ts(start);
  other.set_request_id("book-other");
  v1::Appointment none;
  EXPECT_EQ(env_.scheduling()
                .BookAppointment(SchedulingEnv::Ctx(org_.practitioner_token).get(), other, &none)
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  // Both accept at once, each on a connection of its own.
  std::vector<grpc::Status> results(2);
  std::vector<v1::Appointment> appointments(2);
  auto stub_a = env_.NewSchedulingStub();
  auto stub_b = env_.NewSchedulingStub();
  std::thread ta([&] { results[0] = Accept(*stub_a, a.id(), &appointments[0]); });
  std::thread tb([&] { results[1] = Accept(*stub_b, b.id(), &appointments[1]); });
  ta.join();
  tb.join();
  ASSERT_NE(results[0].ok(), results[1].ok())
      << results[0].error_message() << " / " << results[1].error_message();
  const int winner = results[0].ok() ? 0 : 1;
  const grpc::Status& lost = results[1 - winner];
  EXPECT_EQ(lost.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(lost), "OFFER_TAKEN") << lost.error_message();
  const v1::WaitlistEntry& won = winner == 0 ? first : second;
  const v1::WaitlistEntry& other_entry = winner == 0 ? second : first;
  EXPECT_EQ(appointments[winner].patient_id(), won.patient_id());
  EXPECT_EQ(Get(won.id()).state(), v1::WAITLIST_ENTRY_STATE_BOOKED);
  EXPECT_EQ(Get(won.id()).appointment_id(), appointments[winner].id());
  EXPECT_EQ(Get(other_entry.id()).state(), v1::WAITLIST_ENTRY_STATE_WAITING);
  EXPECT_EQ(OffersOf(other_entry.id())[0].state(), v1::WAITLIST_OFFER_STATE_TAKEN);

  // Exactly one appointment holds the slot.
  v1::ListAppointmentsRequest list;
  list.set_practitioner_id(org_.practitioner_id);
  *list.mutable_time_range()->mutable_start_time() = Ts(start);
  *list.mutable_time_range()->mutable_end_time() = Ts(start + absl::Hours(1));
  list.add_states(v1::APPOINTMENT_STATE_BOOKED);
  v1::ListAppointmentsResponse listed;
  ASSERT_TRUE(env_.scheduling().ListAppointments(AsReception().get(), list, &listed).ok());
  EXPECT_THAT(listed.appointments(), SizeIs(1));

  // Accepting the winner's offer again answers with the same booking.
  v1::Appointment replay;
  ASSERT_TRUE(Accept(env_.scheduling(), winner == 0 ? a.id() : b.id(), &replay).ok());
  EXPECT_EQ(replay.id(), appointments[winner].id());
  int taken_events = 0;
  for (const events::v1::Event& e : env_.Events("clinic-a")) {
    taken_events += e.has_waitlist_offer_taken();
  }
  EXPECT_EQ(taken_events, 1);
}

TEST_F(WaitlistTest, ReplayedEventMakesNoSecondOffer) {
  const absl::Time start = env_.NextLocal(absl::Weekday::wednesday, 11, 0);
  const v1::Appointment booked = Book(env_.CreatePatient(org_), start, "book-1");
  const v1::WaitlistEntry first = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry second = Entry(env_.CreatePatient(org_), start);
  Cancel(booked);
  Consume();
  ASSERT_EQ(OffersMadeEvents(), 2);

  events::v1::AppointmentInfo info;
  for (const events::v1::Event& e : env_.Events("clinic-a")) {
    if (e.has_appointment_cancelled()) info = e.appointment_cancelled().appointment();
  }
  ASSERT_EQ(info.appointment_id(), booked.id());
  ASSERT_TRUE(offers_->OnSlotFreed("clinic-a", info, start).ok());
  ASSERT_TRUE(offers_->OnSlotFreed("clinic-a", info, start).ok());
  EXPECT_EQ(OffersMadeEvents(), 2);
  EXPECT_THAT(OffersOf(first.id()), SizeIs(1));
  EXPECT_THAT(OffersOf(second.id()), SizeIs(1));
}

TEST_F(WaitlistTest, ExpiredHoldMovesToTheNextEntry) {
  env_.waitlist_settings().offers_per_slot = 1;
  Rebuild();
  const absl::Time start = env_.NextLocal(absl::Weekday::thursday, 9, 0, 4);
  const v1::Appointment booked = Book(env_.CreatePatient(org_), start, "book-1");
  const v1::WaitlistEntry first = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry second = Entry(env_.CreatePatient(org_), start);
  Cancel(booked);
  Consume();
  ASSERT_THAT(OffersOf(first.id()), SizeIs(1));
  ASSERT_THAT(OffersOf(second.id()), SizeIs(0));

  ASSERT_TRUE(sweeper_->SweepOnce().ok());  // not due yet: nothing changes
  EXPECT_THAT(OffersOf(second.id()), SizeIs(0));

  env_.clock().Advance(absl::Hours(2) + absl::Minutes(1));
  ASSERT_TRUE(sweeper_->SweepOnce().ok());
  ASSERT_THAT(OffersOf(first.id()), SizeIs(1));
  EXPECT_EQ(OffersOf(first.id())[0].state(), v1::WAITLIST_OFFER_STATE_EXPIRED);
  EXPECT_EQ(Get(first.id()).state(), v1::WAITLIST_ENTRY_STATE_WAITING);
  ASSERT_THAT(OffersOf(second.id()), SizeIs(1));
  EXPECT_EQ(OffersOf(second.id())[0].state(), v1::WAITLIST_OFFER_STATE_OPEN);

  v1::Appointment appointment;
  grpc::Status late = Accept(env_.scheduling(), OffersOf(first.id())[0].id(), &appointment);
  EXPECT_EQ(ErrorReasonOf(late), "OFFER_EXPIRED") << late.error_message();
  grpc::Status s = Accept(env_.scheduling(), OffersOf(second.id())[0].id(), &appointment);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(appointment.patient_id(), second.patient_id());
}

TEST_F(WaitlistTest, QuietHoursAndNewContraindicationsSkipAnEntry) {
  const absl::Time start = env_.NextLocal(absl::Weekday::monday, 14, 0, 3);
  const v1::Appointment booked = Book(env_.CreatePatient(org_), start, "book-1");
  // Quiet all day long (00:00-23:59) for this patient only.
  const std::string sleepy = env_.CreatePatient(org_, {}, [](patient::v1::Patient* p) {
    p->mutable_quiet_hours()->mutable_start()->set_hours(0);
    p->mutable_quiet_hours()->mutable_end()->set_hours(23);
    p->mutable_quiet_hours()->mutable_end()->set_minutes(59);
  });
  const v1::WaitlistEntry quiet = Entry(sleepy, start);
  const v1::WaitlistEntry now_pregnant = Entry(env_.CreatePatient(org_), start);
  env_.UpdateMedicalProfile(org_, now_pregnant.patient_id(),
                            [](patient::v1::MedicalProfile* m) { m->set_pregnant(true); });
  const v1::WaitlistEntry fine = Entry(env_.CreatePatient(org_), start);
  Cancel(booked);
  Consume();
  EXPECT_THAT(OffersOf(quiet.id()), SizeIs(0));
  EXPECT_THAT(OffersOf(now_pregnant.id()), SizeIs(0));
  ASSERT_THAT(OffersOf(fine.id()), SizeIs(1));
  EXPECT_EQ(Get(quiet.id()).state(), v1::WAITLIST_ENTRY_STATE_WAITING);  // keeps waiting
}

TEST_F(WaitlistTest, ErasureMidCourseOffersTheFreedSessions) {
  const absl::Time first = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  const std::string leaving = env_.CreatePatient(org_);
  v1::PlanCourseRequest plan;
  plan.set_patient_id(leaving);
  plan.set_protocol_id(org_.hydralift_id);
  plan.set_clinic_id(org_.clinic_id);
  plan.set_practitioner_id(org_.practitioner_id);
  *plan.mutable_first_start_time() = Ts(first);
  plan.set_request_id("plan-1");
  v1::Course course;
  ASSERT_TRUE(env_.scheduling()
                  .PlanCourse(SchedulingEnv::Ctx(org_.practitioner_token).get(), plan, &course)
                  .ok());
  ASSERT_THAT(course.appointments(), SizeIs(3));
  const absl::Time second_start = FromTs(course.appointments(1).start_time());
  const absl::Time third_start = FromTs(course.appointments(2).start_time());
  // Session 1 is treated; then the patient is erased.
  const v1::Appointment& one = course.appointments(0);
  v1::CheckInAppointmentRequest check_in;
  check_in.set_id(one.id());
  v1::Appointment arrived;
  env_.clock().Set(FromTs(one.start_time()) - absl::Minutes(5));
  ASSERT_TRUE(env_.scheduling().CheckInAppointment(AsReception().get(), check_in, &arrived).ok());
  env_.clock().Set(FromTs(one.end_time()));
  v1::CompleteAppointmentRequest complete;
  complete.set_id(one.id());
  complete.set_etag(arrived.etag());
  complete.mutable_completion()->add_treated_areas(protocol::v1::TREATMENT_AREA_FACE);
  v1::Appointment done;
  ASSERT_TRUE(
      env_.scheduling()
          .CompleteAppointment(SchedulingEnv::Ctx(org_.practitioner_token).get(), complete, &done)
          .ok());
  env_.clock().Set(absl::FromCivil(absl::CivilMinute(absl::ToCivilDay(first, Berlin())) + 14 * 60L,
                                   Berlin()));  // 14:00 that day: not quiet
  env_.waitlist_settings().offers_per_slot = 1;
  Rebuild();
  const v1::WaitlistEntry b = Entry(env_.CreatePatient(org_), second_start, org_.hydralift_id);
  const v1::WaitlistEntry c = Entry(env_.CreatePatient(org_), second_start, org_.hydralift_id);

  env_.ErasePatient(org_, leaving);
  Consume();
  ASSERT_THAT(OffersOf(b.id()), SizeIs(1));
  ASSERT_THAT(OffersOf(c.id()), SizeIs(1));
  std::vector<absl::Time> offered = {FromTs(OffersOf(b.id())[0].start_time()),
                                     FromTs(OffersOf(c.id())[0].start_time())};
  std::sort(offered.begin(), offered.end());
  EXPECT_EQ(offered, (std::vector<absl::Time>{second_start, third_start}));
}

TEST_F(WaitlistTest, DeclineMovesTheSlotOnAtOnceAndADeletedEntryCannotAccept) {
  env_.waitlist_settings().offers_per_slot = 1;
  Rebuild();
  const absl::Time start = env_.NextLocal(absl::Weekday::friday, 15, 0, 3);
  const v1::Appointment booked = Book(env_.CreatePatient(org_), start, "book-1");
  const v1::WaitlistEntry first = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry second = Entry(env_.CreatePatient(org_), start);
  const v1::WaitlistEntry third = Entry(env_.CreatePatient(org_), start);
  Cancel(booked);
  Consume();
  ASSERT_THAT(OffersOf(first.id()), SizeIs(1));

  OfferAnswers answers(env_.waitlist_deps());
  const common::Caller reception{.organization = "clinic-a", .subject = "desk"};
  const CallContext call{reception, nullptr, /*as_service=*/true};
  ASSERT_TRUE(answers.DeclineOffer(call, OffersOf(first.id())[0].id()).ok());
  ASSERT_TRUE(answers.DeclineOffer(call, OffersOf(first.id())[0].id()).ok());  // again: no-op
  EXPECT_EQ(OffersOf(first.id())[0].state(), v1::WAITLIST_OFFER_STATE_DECLINED);
  EXPECT_EQ(Get(first.id()).state(), v1::WAITLIST_ENTRY_STATE_WAITING);
  ASSERT_TRUE(sweeper_->SweepOnce().ok());  // no waiting for the hold: all declined
  ASSERT_THAT(OffersOf(second.id()), SizeIs(1));
  EXPECT_THAT(OffersOf(first.id()), SizeIs(1));  // never offered the same slot twice

  // The second patient is taken off the list: their open offer is void.
  v1::DeleteWaitlistEntryRequest del;
  del.set_id(second.id());
  google::protobuf::Empty empty;
  ASSERT_TRUE(env_.scheduling().DeleteWaitlistEntry(AsReception().get(), del, &empty).ok());
  absl::StatusOr<v1::Appointment> late = answers.AcceptOffer(call, OffersOf(second.id())[0].id());
  EXPECT_EQ(common::ErrorInfoReason(late.status()), "OFFER_EXPIRED") << late.status();
  v1::GetWaitlistEntryRequest get;
  get.set_id(second.id());
  v1::WaitlistEntry gone;
  EXPECT_EQ(env_.scheduling().GetWaitlistEntry(AsReception().get(), get, &gone).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The declined offer cannot be accepted either.
  absl::StatusOr<v1::Appointment> declined =
      answers.AcceptOffer(call, OffersOf(first.id())[0].id());
  EXPECT_EQ(common::ErrorInfoReason(declined.status()), "OFFER_DECLINED") << declined.status();
  EXPECT_THAT(OffersOf(third.id()), SizeIs(0));
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
