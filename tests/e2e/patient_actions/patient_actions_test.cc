// Patients acting from their messages, across the four real processes in
// the configuration a clinic deploys (mTLS, IdP tokens, SMTP, a
// Twilio-shaped SMS provider that also posts replies):
// - the link in a reminder cancels the appointment through
//   PatientActionService with no staff token, exactly once; the slot is
//   free for the next patient;
// - confirmation requests are answered by link and by SMS reply in German
//   and English ("Ja", "yes", "NEIN");
// - a "NEIN" frees the slot, scheduling offers it to the waitlist, and of
//   two patients tapping their offer links at once exactly one books it.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/proto_time.h"
#include "dermaflow/scheduling/v1/patient_action_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/support/sms_reply_post.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr char kAppUrl[] = "https://app.hautklinik.example/a";

// A patient reached only through `channel`, without quiet hours (so the
// test runs at any hour), every medical fact "no".
pv1::Patient Reachable(const std::string& given, const std::string& locale, pv1::Channel channel,
                       const std::string& phone) {
  pv1::Patient p = NewPatient(given, "Muster", locale, given + "@example.org", phone);
  p.clear_consents();
  p.set_preferred_channel(channel);
  auto* consent = p.add_consents();
  consent->set_channel(channel);
  consent->set_state(pv1::CONSENT_STATE_GIVEN);
  consent->set_reason("signed registration form");
  p.mutable_quiet_hours()->mutable_start()->set_hours(0);
  p.mutable_quiet_hours()->mutable_end()->set_hours(0);
  return p;
}

// The token of the first link in `body` that follows `label`.
std::string TokenAfter(const std::string& body, const std::string& label) {
  const size_t at = body.find(label);
  if (at == std::string::npos) return "";
  const size_t token = body.find("action=", at);
  if (token == std::string::npos) return "";
  const size_t end = body.find('\n', token);
  return body.substr(token + 7, end == std::string::npos ? std::string::npos : end - token - 7);
}

class PatientActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org_));
    sv1::UpdateClinicRequest update;
    update.mutable_clinic()->set_id(org_.berlin_clinic);
    update.mutable_clinic()->set_patient_app_url(kAppUrl);
    update.mutable_update_mask()->add_paths("patient_app_url");
    sv1::Clinic clinic;
    ASSERT_RPC_OK(api_.Call([&](auto* c) {
      sv1::GetClinicRequest get;
      get.set_id(org_.berlin_clinic);
      return api_.scheduling->GetClinic(c, get, &clinic);
    }));
    update.mutable_clinic()->set_etag(clinic.etag());
    ASSERT_RPC_OK(
        api_.Call([&](auto* c) { return api_.scheduling->UpdateClinic(c, update, &clinic); }));
    ASSERT_EQ(clinic.patient_app_url(), kAppUrl);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  pv1::Patient Register(const std::string& request_id, pv1::Patient patient) {
    pv1::CreatePatientRequest create;
    create.set_request_id(request_id);
    *create.mutable_patient() = std::move(patient);
    pv1::Patient created;
    grpc::Status status =
        api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, create, &created); });
    EXPECT_TRUE(status.ok()) << Describe(status);
    return created;
  }

  grpc::Status Book(const std::string& request_id, const std::string& patient_id, absl::Time start,
                    sv1::Appointment* out) {
    return BookSession(api_, org_, request_id, patient_id, org_.collagen_induction, start, out);
  }

  // What the patient app does with a link: no authorization, only the token.
  grpc::Status Perform(const std::string& token, sv1::ActionResult* result) {
    auto stub = sv1::PatientActionService::NewStub(suite_.scheduling_channel());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    sv1::PerformActionRequest request;
    request.set_action_token(token);
    return stub->PerformAction(&ctx, request, result);
  }

  // Tomorrow at `hour` Berlin time (inside the 48 h confirmation lead, so
  // the request goes out on the next sweep).
  absl::Time Tomorrow(int hour) {
    return absl::FromCivil(
        absl::CivilHour(absl::ToCivilDay(suite_.clock().Now(), berlin_) + 1) + hour, berlin_);
  }

  // Waits until the appointment's confirmation is `state`.
  bool WaitForConfirmation(const std::string& id, sv1::ConfirmationState state) {
    return WaitFor([&] { return Get(id).confirmation().state() == state; }, absl::Seconds(20));
  }

  // The SMS texts the provider received for `phone`.
  std::vector<std::string> SmsTo(const std::string& phone) {
    std::vector<std::string> texts;
    for (const auto& r : suite_.production()->sms().Requests()) {
      auto to = r.form.find("To");
      if (r.status / 100 == 2 && to != r.form.end() && to->second == phone) {
        texts.push_back(r.form.at("Body"));
      }
    }
    return texts;
  }

  sv1::Appointment Get(const std::string& id) {
    sv1::GetAppointmentRequest get;
    get.set_id(id);
    sv1::Appointment a;
    EXPECT_TRUE(
        api_.Call([&](auto* c) { return api_.scheduling->GetAppointment(c, get, &a); }).ok());
    return a;
  }

  // The first delivery of `kind` for the appointment, once it arrived.
  nv1::Delivery WaitForDelivery(const std::string& patient_id, nv1::ReminderKind kind,
                                const std::string& appointment_id) {
    nv1::Delivery found;
    EXPECT_TRUE(WaitFor(
        [&] {
          for (const auto& d : Deliveries(api_, patient_id)) {
            if (d.kind() == kind && d.appointment_id() == appointment_id) {
              found = d;
              return true;
            }
          }
          return false;
        },
        absl::Seconds(30)))
        << "no " << nv1::ReminderKind_Name(kind) << " delivery";
    return found;
  }

  Suite suite_{{.time_travel = true, .production = true}};
  Stubs api_{suite_};
  Organization org_;
  absl::TimeZone berlin_;
};

TEST_F(PatientActionsTest, TheCancelLinkInAReminderCancelsOnceAndFreesTheSlot) {
  const pv1::Patient anna = Register("pa-1", NewPatient("Anna", "Roth", "de", "a@example.org", ""));
  const absl::Time start = absl::FromCivil(
      absl::CivilMinute(absl::ToCivilDay(suite_.clock().Now(), berlin_) + 3) + 10 * 60L, berlin_);
  sv1::Appointment booked;
  ASSERT_RPC_OK(Book("pa-book-1", anna.id(), start, &booked));

  // The appointment reminder (24 h before) carries the links, in German.
  suite_.clock().AdvanceTo(start - absl::Hours(24) + absl::Minutes(1));
  const nv1::Delivery reminder =
      WaitForDelivery(anna.id(), nv1::REMINDER_KIND_APPOINTMENT, booked.id());
  ASSERT_NE(reminder.body().find(absl::StrCat("Termin absagen: ", kAppUrl, "?action=")),
            std::string::npos)
      << reminder.body();
  const std::string cancel = TokenAfter(reminder.body(), "Termin absagen:");
  ASSERT_FALSE(cancel.empty()) << reminder.body();

  sv1::ActionResult result;
  ASSERT_RPC_OK(Perform(cancel, &result));
  EXPECT_EQ(result.appointment().state(), sv1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(result.appointment().clinic_display_name(), "Dermaflow Berlin Mitte");
  const sv1::Appointment cancelled = Get(booked.id());
  EXPECT_EQ(cancelled.state(), sv1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancellation().reason(), sv1::CANCELLATION_REASON_PATIENT_REQUEST);
  EXPECT_EQ(cancelled.cancellation().cancelled_by().rfind("patient:link/", 0), 0u);

  // Once only; and the slot is the next patient's.
  grpc::Status again = Perform(cancel, &result);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(again);
  const pv1::Patient ben = Register("pa-2", NewPatient("Ben", "Kurz", "en", "b@example.org", ""));
  sv1::Appointment rebooked;
  ASSERT_RPC_OK(Book("pa-book-2", ben.id(), start, &rebooked));
}

TEST_F(PatientActionsTest, ConfirmationRequestsAreAnsweredByLinkAndBySmsReplyInTwoLanguages) {
  const pv1::Patient anna = Register("c-1", Reachable("Anna", "de", pv1::CHANNEL_IN_APP, ""));
  const pv1::Patient greta =
      Register("c-2", Reachable("Greta", "de", pv1::CHANNEL_SMS, "+4915111111111"));
  const pv1::Patient john =
      Register("c-3", Reachable("John", "en", pv1::CHANNEL_SMS, "+4915122222222"));
  const pv1::Patient lena =
      Register("c-4", Reachable("Lena", "de", pv1::CHANNEL_SMS, "+4915133333333"));
  sv1::Appointment a, g, j, l;
  ASSERT_RPC_OK(Book("c-book-1", anna.id(), Tomorrow(9), &a));
  ASSERT_RPC_OK(Book("c-book-2", greta.id(), Tomorrow(11), &g));
  ASSERT_RPC_OK(Book("c-book-3", john.id(), Tomorrow(13), &j));
  ASSERT_RPC_OK(Book("c-book-4", lena.id(), Tomorrow(15), &l));

  // By link: the in-app request carries confirm, cancel and reschedule links.
  const nv1::Delivery request =
      WaitForDelivery(anna.id(), nv1::REMINDER_KIND_CONFIRMATION_REQUEST, a.id());
  EXPECT_NE(request.body().find("Anderen Termin anfragen: "), std::string::npos) << request.body();
  sv1::ActionResult result;
  ASSERT_RPC_OK(Perform(TokenAfter(request.body(), "Termin bestätigen:"), &result));
  EXPECT_EQ(result.appointment().confirmation_state(), sv1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(Get(a.id()).confirmation().answered_via(), sv1::CONFIRMATION_CHANNEL_LINK);

  // By SMS: the request says how to answer, in the patient's language. Run
  // within a day of the appointments, their reminders go out first, so the
  // request is looked for among the messages.
  auto request_to = [&](const std::string& phone, const std::string& words) {
    for (const std::string& text : SmsTo(phone)) {
      if (text.find(words) != std::string::npos) return text;
    }
    return std::string();
  };
  ASSERT_TRUE(WaitFor(
      [&] {
        return !request_to("+4915111111111", "Antworten Sie JA").empty() &&
               !request_to("+4915122222222", "Reply YES").empty() &&
               !SmsTo("+4915133333333").empty();
      },
      absl::Seconds(30)))
      << "the SMS confirmation requests did not go out";
  EXPECT_EQ(request_to("+4915111111111", "Antworten Sie JA").find("action="),
            std::string::npos);  // no links by SMS

  ProductionSetup& prod = *suite_.production();
  EXPECT_EQ(prod.PostSmsReply("+4915111111111", "Ja, bis morgen"), 200);
  EXPECT_EQ(prod.PostSmsReply("+4915122222222", "yes"), 200);
  EXPECT_EQ(prod.PostSmsReply("+4915133333333", "NEIN"), 200);
  ASSERT_TRUE(WaitForConfirmation(g.id(), sv1::CONFIRMATION_STATE_CONFIRMED));
  ASSERT_TRUE(WaitForConfirmation(j.id(), sv1::CONFIRMATION_STATE_CONFIRMED));
  ASSERT_TRUE(WaitForConfirmation(l.id(), sv1::CONFIRMATION_STATE_DECLINED));
  EXPECT_EQ(Get(g.id()).confirmation().answered_via(), sv1::CONFIRMATION_CHANNEL_SMS);
  EXPECT_EQ(Get(g.id()).confirmation().answered_by().rfind("patient:sms/", 0), 0u);
  EXPECT_EQ(Get(l.id()).state(), sv1::APPOINTMENT_STATE_CANCELLED);

  // A second "Ja" changes nothing; an unknown number and a forged post are ignored.
  EXPECT_EQ(prod.PostSmsReply("+4915111111111", "JA"), 200);
  EXPECT_EQ(prod.PostSmsReply("+4915199999999", "JA"), 200);
  EXPECT_EQ(
      testing::PostSmsReply(prod.sms_reply_port(), {.auth_token = "forged",
                                                    .public_url = ProductionSetup::kSmsReplyUrl,
                                                    .from = "+4915133333333",
                                                    .text = "JA"}),
      403);
  EXPECT_EQ(Get(g.id()).confirmation().state(), sv1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(Get(l.id()).state(), sv1::APPOINTMENT_STATE_CANCELLED);
}

TEST_F(PatientActionsTest, ADeclinedSlotGoesToTheWaitlistAndTheFirstOfTwoOfferLinksBooksIt) {
  const pv1::Patient lena =
      Register("w-1", Reachable("Lena", "de", pv1::CHANNEL_SMS, "+4915144444444"));
  const pv1::Patient anna = Register("w-2", Reachable("Anna", "de", pv1::CHANNEL_IN_APP, ""));
  const pv1::Patient ben = Register("w-3", Reachable("Ben", "en", pv1::CHANNEL_EMAIL, ""));
  sv1::Appointment booked;
  ASSERT_RPC_OK(Book("w-book", lena.id(), Tomorrow(10), &booked));
  for (const pv1::Patient* p : {&anna, &ben}) {
    sv1::WaitlistEntry created;
    ASSERT_RPC_OK(AddToWaitlist(api_, org_, "w-entry-" + p->id(), p->id(), org_.collagen_induction,
                                absl::ToCivilDay(suite_.clock().Now(), berlin_), &created));
  }

  // Lena says no by SMS: her slot is freed and offered to both.
  ASSERT_TRUE(WaitFor([&] { return !SmsTo("+4915144444444").empty(); }, absl::Seconds(30)));
  EXPECT_EQ(suite_.production()->PostSmsReply("+4915144444444", "nein"), 200);
  ASSERT_TRUE(WaitForConfirmation(booked.id(), sv1::CONFIRMATION_STATE_DECLINED));

  std::string tokens[2];
  const std::string labels[2] = {"Termin übernehmen:", "Take this appointment:"};
  const pv1::Patient* patients[2] = {&anna, &ben};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(WaitFor(
        [&] {
          for (const auto& d : Deliveries(api_, patients[i]->id())) {
            if (d.kind() == nv1::REMINDER_KIND_WAITLIST_OFFER)
              tokens[i] = TokenAfter(d.body(), labels[i]);
          }
          return !tokens[i].empty();
        },
        absl::Seconds(30)))
        << "no offer with an accept link for " << patients[i]->given_name();
  }

  // Both tap at once: one books the slot, the other is told it is taken.
  grpc::Status results[2];
  sv1::ActionResult accepted[2];
  std::vector<std::thread> taps;
  taps.reserve(2);
  for (int i = 0; i < 2; ++i) {
    taps.emplace_back([&, i] { results[i] = Perform(tokens[i], &accepted[i]); });
  }
  for (auto& t : taps) t.join();
  ASSERT_NE(results[0].ok(), results[1].ok())
      << Describe(results[0]) << " / " << Describe(results[1]);
  const int won = results[0].ok() ? 0 : 1;
  EXPECT_EQ(results[1 - won].error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  const sv1::Appointment mine = Get(accepted[won].appointment().appointment_id());
  EXPECT_EQ(mine.patient_id(), patients[won]->id());
  EXPECT_EQ(mine.start_time().seconds(), booked.start_time().seconds());
  EXPECT_EQ(mine.state(), sv1::APPOINTMENT_STATE_BOOKED);
}

}  // namespace
}  // namespace dermaflow::e2e
