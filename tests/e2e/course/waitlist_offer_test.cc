// The waitlist end to end, across the four service processes with JWT auth,
// through the public API only: a cancelled appointment's slot is offered by
// scheduling's own event intake to the two waiting patients, notification
// delivers each a WAITLIST_OFFER message in their language, both accept at
// once and exactly one gets the appointment, the other OFFER_TAKEN.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

class WaitlistOfferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org_));
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  // A patient without quiet hours (so the test runs at any hour).
  pv1::Patient Patient(const std::string& name, const std::string& locale) {
    pv1::CreatePatientRequest create;
    create.set_request_id("e2e-" + name);
    *create.mutable_patient() = NewPatient(name, "Muster", locale, name + "@example.org", "");
    create.mutable_patient()->mutable_quiet_hours()->mutable_start()->set_hours(0);
    create.mutable_patient()->mutable_quiet_hours()->mutable_end()->set_hours(0);
    pv1::Patient p;
    EXPECT_TRUE(
        api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, create, &p); }).ok());
    return p;
  }

  sv1::WaitlistEntry Entry(const pv1::Patient& p, absl::CivilDay from) {
    sv1::WaitlistEntry e;
    EXPECT_TRUE(
        AddToWaitlist(api_, org_, "entry-" + p.id(), p.id(), org_.hydralift, from, &e).ok());
    return e;
  }

  std::vector<sv1::WaitlistOffer> Offers(const std::string& entry_id) {
    sv1::ListWaitlistOffersRequest req;
    req.set_entry_id(entry_id);
    sv1::ListWaitlistOffersResponse resp;
    (void)api_.Call([&](auto* c) { return api_.scheduling->ListWaitlistOffers(c, req, &resp); });
    return {resp.offers().begin(), resp.offers().end()};
  }

  bool GotOfferMessage(const std::string& patient_id) {
    for (const auto& d : Deliveries(api_, patient_id)) {
      if (d.kind() == nv1::REMINDER_KIND_WAITLIST_OFFER) return true;
    }
    return false;
  }

  Suite suite_;
  Stubs api_{suite_};
  Organization org_;
  absl::TimeZone berlin_;
};

TEST_F(WaitlistOfferTest, CancelledSlotIsOfferedAndTheFirstAcceptanceBooksIt) {
  const pv1::Patient leaving = Patient("Leaving", "de");
  const pv1::Patient anna = Patient("Anna", "de");
  const pv1::Patient ben = Patient("Ben", "en");
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), berlin_) + 1;
  sv1::Appointment booked;
  ASSERT_RPC_OK(BookSession(api_, org_, "book-leaving", leaving.id(), org_.hydralift,
                            absl::FromCivil(absl::CivilHour(tomorrow) + 14, berlin_), &booked));
  const sv1::WaitlistEntry anna_entry = Entry(anna, tomorrow);
  const sv1::WaitlistEntry ben_entry = Entry(ben, tomorrow);

  sv1::CancelAppointmentRequest cancel;
  cancel.set_id(booked.id());
  cancel.set_etag(booked.etag());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_PATIENT_REQUEST);
  sv1::Appointment cancelled;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->CancelAppointment(c, cancel, &cancelled); }));

  ASSERT_TRUE(WaitFor(
      [&] { return Offers(anna_entry.id()).size() == 1 && Offers(ben_entry.id()).size() == 1; },
      absl::Seconds(20)));
  EXPECT_TRUE(WaitFor([&] { return GotOfferMessage(anna.id()) && GotOfferMessage(ben.id()); },
                      absl::Seconds(20)));

  const std::string offers[2] = {Offers(anna_entry.id())[0].id(), Offers(ben_entry.id())[0].id()};
  grpc::Status results[2];
  sv1::Appointment appointments[2];
  std::vector<std::thread> threads;
  threads.reserve(2);
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      sv1::AcceptWaitlistOfferRequest req;
      req.set_offer_id(offers[i]);
      results[i] = api_.Call(
          [&](auto* c) { return api_.scheduling->AcceptWaitlistOffer(c, req, &appointments[i]); });
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_NE(results[0].ok(), results[1].ok())
      << Describe(results[0]) << " / " << Describe(results[1]);
  const int won = results[0].ok() ? 0 : 1;
  EXPECT_EQ(results[1 - won].error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(results[1 - won].error_message(), "accepted this slot first"))
      << Describe(results[1 - won]);
  EXPECT_EQ(appointments[won].patient_id(), won == 0 ? anna.id() : ben.id());
  EXPECT_EQ(appointments[won].start_time().seconds(), booked.start_time().seconds());
}

}  // namespace
}  // namespace dermaflow::e2e
