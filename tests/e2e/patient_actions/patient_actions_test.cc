// Patients acting from their messages, across the four real processes in
// the configuration a clinic deploys (mTLS, IdP tokens, SMTP, a
// Twilio-shaped SMS provider that also posts replies): the link in a
// reminder cancels the appointment through PatientActionService with no
// staff token, exactly once; the slot is free for the next patient.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/time/proto_time.h"
#include "dermaflow/scheduling/v1/patient_action_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr char kAppUrl[] = "https://app.hautklinik.example/a";

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
    sv1::BookAppointmentRequest book;
    book.set_request_id(request_id);
    book.set_patient_id(patient_id);
    book.set_protocol_id(org_.collagen_induction);
    book.set_clinic_id(org_.berlin_clinic);
    book.set_practitioner_id(org_.practitioner);
    book.add_areas(prv1::TREATMENT_AREA_FACE);
    *book.mutable_start_time() = common::ToTimestamp(start);
    return api_.Call([&](auto* c) { return api_.scheduling->BookAppointment(c, book, out); });
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
      absl::CivilMinute(absl::ToCivilDay(suite_.clock().Now(), berlin_) + 3) + 10 * 60, berlin_);
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

}  // namespace
}  // namespace dermaflow::e2e
