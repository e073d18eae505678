// The configuration a clinic chain deploys, end to end across the four real
// processes (production_setup.h): every hop over mTLS; people's tokens
// signed RS256 (and ES256) by an identity provider whose JWKS is fetched
// over HTTPS, with the organization and roles where Auth0 and Keycloak put
// them; notification acting with nothing but its own service-identity key;
// e-mail through a real SMTP server that demands STARTTLS and AUTH; SMS
// through a Twilio-shaped provider.
//
// Two German patients book hydralift courses, one reached by e-mail, one by
// SMS. Session 1 with bruising -> the aftercare with Arnika, Sauna and
// Make-up arrives over both channels. The IdP rotates its key mid-test and
// new tokens keep working; a token from a key the IdP never published is
// refused. The e-mail patient's session 2 is cancelled -> its reminders
// never arrive, while the SMS patient's session-2 reminder does. A booking
// for tomorrow gets its confirmation request by SMS; reception confirms.
//
// Each binary runs these on its Redis backends (production_fixture.h): the
// one server, Sentinel with durable writes, the 3-primary Cluster.
#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/time/proto_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/production/production_fixture.h"
#include "tests/support/http_get.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

TEST_P(ProductionConfigTest, RemindersReachPatientsOverTlsAndSurviveKeyRotation) {
  // Three days out, so no session is inside the confirmation lead (48 h)
  // yet and nothing is sent before the first jump of the clock.
  first_day_ = absl::ToCivilDay(suite_.clock().Now(), berlin_) + 3;
  const pv1::Patient by_email = Register("prod-1", GermanPatient("Liesel", pv1::CHANNEL_EMAIL));
  const pv1::Patient by_sms = Register("prod-2", GermanPatient("Greta", pv1::CHANNEL_SMS));
  ASSERT_FALSE(by_email.id().empty());
  ASSERT_FALSE(by_sms.id().empty());
  const sv1::Course email_course = BookHydralift("prod-course-1", by_email, 10);
  const sv1::Course sms_course = BookHydralift("prod-course-2", by_sms, 11);
  ASSERT_EQ(email_course.appointments_size(), 3);
  ASSERT_EQ(sms_course.appointments_size(), 3);

  // Notification plans with nothing but its service credential: the
  // reminders of session 2 exist (this is what RS256 deployments lost).
  std::set<std::string> email_session2, sms_session2;
  ASSERT_TRUE(WaitFor(
      [&] {
        email_session2 = ReminderIds(api_, email_course.appointments(1).id());
        sms_session2 = ReminderIds(api_, sms_course.appointments(1).id());
        return !email_session2.empty() && !sms_session2.empty();
      },
      absl::Seconds(30)))
      << "no reminders planned under service identity";

  // --- Session 1 with bruising: the German aftercare by e-mail and by SMS -----------
  ASSERT_NO_FATAL_FAILURE(AdvanceClockWhenSettled(
      common::ToTime(email_course.appointments(0).start_time()) + absl::Minutes(1)));
  ASSERT_NO_FATAL_FAILURE(CompleteWithBruising(email_course.appointments(0)));
  // Notification must be done with session 1 (plan, send the aftercare)
  // before the clock jumps an hour (AdvanceClockWhenSettled says why).
  std::set<std::string> email_aftercare, sms_aftercare;
  ASSERT_TRUE(WaitFor(
      [&] {
        nv1::ListRemindersRequest filter;
        filter.add_kinds(nv1::REMINDER_KIND_AFTERCARE);
        filter.set_appointment_id(email_course.appointments(0).id());
        for (const auto& r : Reminders(api_, filter)) email_aftercare.insert(r.id());
        return !MailsFor(email_aftercare).empty();
      },
      absl::Seconds(30)))
      << "the e-mail aftercare did not arrive";
  // And with what the jump made due: the SMS patient's session 1 (11:00)
  // is now inside the confirmation lead, so she is asked at once.
  ASSERT_TRUE(WaitFor(
      [&] {
        return !SmsFor(ReminderIds(api_, sms_course.appointments(0).id(),
                                   nv1::REMINDER_KIND_CONFIRMATION_REQUEST))
                    .empty();
      },
      absl::Seconds(30)))
      << "the SMS patient's confirmation request did not arrive";
  ASSERT_NO_FATAL_FAILURE(AdvanceClockWhenSettled(
      common::ToTime(sms_course.appointments(0).start_time()) + absl::Minutes(1)));
  ASSERT_NO_FATAL_FAILURE(CompleteWithBruising(sms_course.appointments(0)));

  ASSERT_TRUE(WaitFor(
      [&] {
        nv1::ListRemindersRequest filter;
        filter.add_kinds(nv1::REMINDER_KIND_AFTERCARE);
        filter.set_appointment_id(email_course.appointments(0).id());
        for (const auto& r : Reminders(api_, filter)) email_aftercare.insert(r.id());
        filter.set_appointment_id(sms_course.appointments(0).id());
        for (const auto& r : Reminders(api_, filter)) sms_aftercare.insert(r.id());
        return !MailsFor(email_aftercare).empty() && !SmsFor(sms_aftercare).empty();
      },
      absl::Seconds(30)))
      << "aftercare did not arrive: " << prod().smtp().Messages().size() << " e-mails, "
      << prod().sms().Requests().size() << " SMS requests";

  const testing::ReceivedMail mail = MailsFor(email_aftercare).front();
  EXPECT_TRUE(mail.tls) << "e-mail sent without STARTTLS";
  EXPECT_EQ(mail.auth_user, ProductionSetup::kSmtpUser);
  EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{kProductionEmail});
  for (const char* header : {"date", "message-id", "subject", "from", "to"}) {
    EXPECT_TRUE(mail.headers.count(header)) << "missing " << header;
  }
  EXPECT_EQ(mail.headers.at("auto-submitted"), "auto-generated");
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(mail.headers.at("content-type")), "utf-8"));
  EXPECT_TRUE(mail.defects.empty());
  for (const char* advice : {"Arnika", "Sauna", "Make-up"}) {
    EXPECT_TRUE(absl::StrContains(mail.body, advice)) << advice << " missing in:\n" << mail.body;
  }
  const testing::ProviderRequest sms = SmsFor(sms_aftercare).front();
  EXPECT_TRUE(sms.auth_ok);
  EXPECT_EQ(sms.form.at("To"), kProductionSmsPhone);
  EXPECT_EQ(sms.form.at("From"), ProductionSetup::kSmsFrom);
  EXPECT_TRUE(absl::StrContains(sms.form.at("Body"), "Arnika")) << sms.form.at("Body");

  // The screening read during booking is audited under the person who
  // booked, via the service that passed her token on.
  pv1::ListAuditEntriesRequest audit;
  audit.set_patient_id(by_email.id());
  pv1::ListAuditEntriesResponse entries;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.patients->ListAuditEntries(c, audit, &entries); }));
  EXPECT_TRUE(std::any_of(entries.audit_entries().begin(), entries.audit_entries().end(),
                          [](const auto& e) {
                            return e.action() == pv1::AUDIT_ACTION_READ_MEDICAL_PROFILE &&
                                   e.actor() == "e2e-staff" && e.via_service() == "protocol";
                          }))
      << entries.DebugString();

  // --- The IdP rotates its signing key; an unpublished key is refused ---------------
  const int fetches_before = prod().JwksFetches();
  ProductionSetup& idp = prod();
  auto staff = Suite::AllStaffRoles();
  EXPECT_EQ(
      GetClinicWith(idp.MintToken(staff, Suite::kOrganization, "u", ProductionSetup::IdpKey::kEc))
          .error_code(),
      grpc::StatusCode::OK)
      << "ES256 token refused";
  grpc::Status rogue = GetClinicWith(
      idp.MintToken(staff, Suite::kOrganization, "u", ProductionSetup::IdpKey::kUnknown));
  EXPECT_EQ(rogue.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(rogue);
  idp.RotateIdentityProviderKey();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the refresh rate limit
  const std::string rotated =
      idp.MintToken(staff, Suite::kOrganization, "u", ProductionSetup::IdpKey::kRotatedRsa);
  grpc::Status after_rotation = GetClinicWith(rotated);
  EXPECT_TRUE(after_rotation.ok()) << Describe(after_rotation);
  EXPECT_GT(prod().JwksFetches(), fetches_before) << "the new kid did not trigger a JWKS fetch";
  api_.token = rotated;  // from here on, staff act with tokens of the new key

  // --- Cancel the e-mail patient's session 2: its reminders never arrive ------------
  sv1::CancelAppointmentRequest cancel;
  cancel.set_id(email_course.appointments(1).id());
  cancel.set_etag(email_course.appointments(1).etag());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_PATIENT_REQUEST);
  sv1::Appointment cancelled;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->CancelAppointment(c, cancel, &cancelled); }));
  ASSERT_TRUE(WaitFor(
      [&] {
        nv1::ListRemindersRequest filter;
        filter.set_appointment_id(email_course.appointments(1).id());
        auto reminders = Reminders(api_, filter);
        return !reminders.empty() && std::all_of(reminders.begin(), reminders.end(), [](auto& r) {
          return r.state() == nv1::REMINDER_STATE_CANCELLED;
        });
      },
      absl::Seconds(20)))
      << "the cancelled session's reminders are not cancelled";

  // To an hour before session 2: every reminder before it is due.
  ASSERT_NO_FATAL_FAILURE(AdvanceClockWhenSettled(
      common::ToTime(sms_course.appointments(1).start_time()) - absl::Hours(1)));
  ASSERT_TRUE(WaitFor([&] { return !SmsFor(sms_session2).empty(); }, absl::Seconds(30)))
      << "the SMS patient's session-2 reminder did not arrive";
  std::this_thread::sleep_for(std::chrono::seconds(2));  // every chance for a wrong send
  EXPECT_TRUE(MailsFor(email_session2).empty()) << "a reminder of the cancelled session was sent";

  // Notification's own calls were counted, none refused.
  const std::string metrics = testing::HttpGet(suite_.notification().metrics_port(), "/metrics");
  EXPECT_TRUE(absl::StrContains(
      metrics, R"(grpc_client_handled_total{grpc_code="OK",grpc_method="GetPatient")"))
      << metrics.substr(0, 3000);
  EXPECT_FALSE(absl::StrContains(metrics, "grpc_code=\"Unauthenticated\""));
  EXPECT_FALSE(absl::StrContains(metrics, "grpc_code=\"PermissionDenied\""));
}

// Confirmations in the deployed configuration: a booking for tomorrow is
// asked at once (the scheduling sweeper, with the clinic's default policy),
// the request reaches the patient as an SMS through the provider, and
// reception records the phone answer.
TEST_P(ProductionConfigTest, ConfirmationRequestArrivesBySmsAndReceptionConfirms) {
  const absl::CivilDay today = absl::ToCivilDay(suite_.clock().Now(), berlin_);
  suite_.clock().AdvanceTo(absl::FromCivil(absl::CivilMinute(today + 1) + 720, berlin_));  // noon
  const pv1::Patient patient = Register("prod-confirm", GermanPatient("Greta", pv1::CHANNEL_SMS));
  ASSERT_FALSE(patient.id().empty());
  sv1::BookAppointmentRequest book;
  book.set_request_id("prod-confirm-book");
  book.set_patient_id(patient.id());
  book.set_protocol_id(org_.hydralift);
  book.set_clinic_id(org_.berlin_clinic);
  book.set_practitioner_id(org_.practitioner);
  *book.mutable_start_time() =
      common::ToTimestamp(absl::FromCivil(absl::CivilMinute(today + 2) + 600, berlin_));  // 10:00
  sv1::Appointment booked;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->BookAppointment(c, book, &booked); }));

  std::set<std::string> requests;
  ASSERT_TRUE(WaitFor(
      [&] {
        nv1::ListRemindersRequest filter;
        filter.set_appointment_id(booked.id());
        filter.add_kinds(nv1::REMINDER_KIND_CONFIRMATION_REQUEST);
        for (const auto& r : Reminders(api_, filter)) requests.insert(r.id());
        return !SmsFor(requests).empty();
      },
      absl::Seconds(30)))
      << "the confirmation request SMS did not arrive";
  const testing::ProviderRequest sms = SmsFor(requests).front();
  EXPECT_EQ(sms.form.at("To"), kProductionSmsPhone);
  EXPECT_TRUE(absl::StrContains(sms.form.at("Body"), "bestätigen")) << sms.form.at("Body");

  sv1::ConfirmAppointmentRequest confirm;
  confirm.set_id(booked.id());
  confirm.set_answer(sv1::CONFIRMATION_STATE_CONFIRMED);
  sv1::Appointment confirmed;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->ConfirmAppointment(c, confirm, &confirmed); }));
  EXPECT_EQ(confirmed.confirmation().state(), sv1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(confirmed.confirmation().answered_via(), sv1::CONFIRMATION_CHANNEL_STAFF);
}

// Waitlist offers in the deployed configuration: scheduling holds the service
// identity's private key as notification does, so a cancelled slot is offered
// on its own behalf -- it screens the waiting patient through protocol and
// reads her quiet hours from patient with its own service token, over mTLS,
// with no person's token to forward. Without the key it logs that offers are
// off and none is made.
TEST_P(ProductionConfigTest, CancelledSlotIsOfferedToTheWaitlistWithSchedulingsOwnIdentity) {
  EXPECT_FALSE(absl::StrContains(suite_.SchedulingLog(), "waitlist offers are off"))
      << suite_.SchedulingLog();
  const absl::CivilDay tomorrow = absl::ToCivilDay(suite_.clock().Now(), berlin_) + 1;
  const pv1::Patient leaving =
      Register("prod-wl-leaving", GermanPatient("Lena", pv1::CHANNEL_EMAIL));
  pv1::Patient waiting = GermanPatient("Wilma", pv1::CHANNEL_SMS);
  waiting.mutable_quiet_hours()->mutable_start()->set_hours(0);  // no quiet hours: any time
  waiting.mutable_quiet_hours()->mutable_end()->set_hours(0);
  waiting = Register("prod-wl-waiting", waiting);
  ASSERT_FALSE(leaving.id().empty());
  ASSERT_FALSE(waiting.id().empty());

  sv1::Appointment booked;
  ASSERT_RPC_OK(BookSession(api_, org_, "prod-wl-book", leaving.id(), org_.hydralift,
                            absl::FromCivil(absl::CivilHour(tomorrow) + 14, berlin_), &booked));
  sv1::WaitlistEntry entry;
  ASSERT_RPC_OK(
      AddToWaitlist(api_, org_, "prod-wl-entry", waiting.id(), org_.hydralift, tomorrow, &entry));

  sv1::CancelAppointmentRequest cancel;
  cancel.set_id(booked.id());
  cancel.set_etag(booked.etag());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_PATIENT_REQUEST);
  sv1::Appointment cancelled;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->CancelAppointment(c, cancel, &cancelled); }));

  sv1::ListWaitlistOffersResponse offers;
  ASSERT_TRUE(WaitFor(
      [&] {
        sv1::ListWaitlistOffersRequest list;
        list.set_entry_id(entry.id());
        offers.Clear();
        return api_.Call([&](auto* c) {
                     return api_.scheduling->ListWaitlistOffers(c, list, &offers);
                   })
                   .ok() &&
               offers.offers_size() == 1;
      },
      absl::Seconds(20)))
      << suite_.SchedulingLog();
  EXPECT_EQ(offers.offers(0).patient_id(), waiting.id());
  EXPECT_EQ(offers.offers(0).start_time().seconds(), booked.start_time().seconds());
}

}  // namespace
}  // namespace dermaflow::e2e
