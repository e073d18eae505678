#include "tests/e2e/production/production_fixture.h"

#include <iostream>

#include "common/time/proto_time.h"
#include "services/notification/domain/idempotency_key.h"

namespace dermaflow::e2e {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

pv1::Patient GermanPatient(const std::string& given, pv1::Channel channel,
                           const std::string& email) {
  pv1::Patient p = NewPatient(given, "Brandt", "de", email, kProductionSmsPhone);
  p.clear_consents();
  p.set_preferred_channel(channel);
  auto* consent = p.add_consents();
  consent->set_channel(channel);
  consent->set_state(pv1::CONSENT_STATE_GIVEN);
  consent->set_reason("signed registration form");
  return p;
}

std::set<std::string> ReminderIds(const Stubs& api, const std::string& appointment_id,
                                  nv1::ReminderKind kind) {
  nv1::ListRemindersRequest filter;
  filter.set_appointment_id(appointment_id);
  if (kind != nv1::REMINDER_KIND_UNSPECIFIED) filter.add_kinds(kind);
  std::set<std::string> ids;
  for (const auto& r : Reminders(api, filter)) ids.insert(r.id());
  return ids;
}

std::vector<testing::ReceivedMail> MailsFor(ProductionSetup& prod,
                                            const std::set<std::string>& ids) {
  std::vector<testing::ReceivedMail> out;
  for (const auto& m : prod.smtp().Messages()) {
    auto id = m.headers.find("x-dermaflow-reminder-id");
    if (id != m.headers.end() && ids.count(id->second)) out.push_back(m);
  }
  return out;
}

ProductionConfigTest::ProductionConfigTest()
    : redis_(GetParam()), suite_(redis_.Configure({.time_travel = true, .production = true})) {}

void ProductionConfigTest::SetUp() {
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
  ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org_));
}

void ProductionConfigTest::TearDown() {
  if (HasFailure()) std::cerr << suite_.Logs() << "\n----- smtp -----\n" << prod().smtp().ReadLog();
}

pv1::Patient ProductionConfigTest::Register(const Stubs& api, const std::string& request_id,
                                            const pv1::Patient& patient) {
  pv1::Patient created;
  grpc::Status status = RegisterPatient(api, request_id, patient, &created);
  EXPECT_TRUE(status.ok()) << Describe(status);
  return created;
}

sv1::Course ProductionConfigTest::BookHydralift(const std::string& request_id,
                                                const pv1::Patient& patient, int hour) {
  sv1::PlanCourseRequest plan;
  plan.set_request_id(request_id);
  plan.set_patient_id(patient.id());
  plan.set_protocol_id(org_.hydralift);
  plan.set_clinic_id(org_.berlin_clinic);
  plan.set_practitioner_id(org_.practitioner);
  plan.add_areas(prv1::TREATMENT_AREA_FACE);
  *plan.mutable_first_start_time() =
      common::ToTimestamp(absl::FromCivil(absl::CivilMinute(first_day_) + hour * 60L, berlin_));
  sv1::Course course;
  grpc::Status status =
      api_.Call([&](auto* c) { return api_.scheduling->PlanCourse(c, plan, &course); });
  EXPECT_TRUE(status.ok()) << Describe(status);
  return course;
}

void ProductionConfigTest::CompleteWithBruising(const sv1::Appointment& session) {
  sv1::CheckInAppointmentRequest check_in;
  check_in.set_id(session.id());
  sv1::Appointment arrived;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->CheckInAppointment(c, check_in, &arrived); }));
  sv1::CompleteAppointmentRequest complete;
  complete.set_id(session.id());
  complete.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_FACE);
  complete.mutable_completion()->add_side_effects(sv1::SIDE_EFFECT_BRUISING);
  sv1::Appointment done;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->CompleteAppointment(c, complete, &done); }));
}

std::vector<testing::ProviderRequest> ProductionConfigTest::SmsFor(
    const std::set<std::string>& ids, const std::string& organization) {
  std::set<std::string> keys;
  for (const std::string& id : ids) keys.insert(notification::IdempotencyKey(organization, id));
  std::vector<testing::ProviderRequest> out;
  for (const auto& r : prod().sms().Requests()) {
    auto key = r.headers.find("i-twilio-idempotency-token");
    if (r.status / 100 == 2 && key != r.headers.end() && keys.count(key->second)) out.push_back(r);
  }
  return out;
}

void ProductionConfigTest::AdvanceClockWhenSettled(absl::Time t) {
  const auto settled = [&] {
    const absl::Time now = suite_.clock().Now();
    for (const nv1::Reminder& r : Reminders(api_, nv1::ListRemindersRequest())) {
      if (r.state() == nv1::REMINDER_STATE_IN_FLIGHT || r.state() == nv1::REMINDER_STATE_RETRYING ||
          (r.state() == nv1::REMINDER_STATE_SCHEDULED && common::ToTime(r.due_time()) <= now)) {
        return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(WaitFor(settled, absl::Seconds(30))) << "notification still has due reminders";
  suite_.clock().AdvanceTo(t);
}

grpc::Status ProductionConfigTest::GetClinicWith(const std::string& token) {
  sv1::GetClinicRequest get;
  get.set_id(org_.berlin_clinic);
  sv1::Clinic clinic;
  grpc::ClientContext ctx;
  suite_.Authorize(&ctx, token);
  return api_.scheduling->GetClinic(&ctx, get, &clinic);
}

}  // namespace dermaflow::e2e
