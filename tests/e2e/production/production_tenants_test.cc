// Tenants side by side in the deployed configuration: each chain's staff
// hold RS256 tokens from the identity provider naming their own
// organization. Every tenant's booking for tomorrow is asked for
// confirmation at once, by e-mail over SMTP with STARTTLS, to its own
// patient; no tenant's token reads another's patient, appointment or
// reminders, or finds them in a search (the organization comes from the
// token, never from the request). On a Cluster the tenants are placed so
// that their hash slots are on every primary, and each tenant's data is on
// the primary owning its slot.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/events/event_stream.h"
#include "gtest/gtest.h"
#include "tests/e2e/cluster/tenant_placement.h"
#include "tests/e2e/production/production_fixture.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr int kTenants = 3;

struct Tenant {
  std::string organization;
  int primary_port = 0;  // on a Cluster: the primary owning its slot
  std::unique_ptr<Stubs> api;
  Organization org;
  pv1::Patient patient;
  sv1::Appointment booked;
};

// kTenants organizations; on a Cluster one on each primary.
std::vector<Tenant> NameTenants(RedisBackend& redis) {
  std::vector<Tenant> tenants(kTenants);
  if (redis.cluster() == nullptr) {
    for (int i = 0; i < kTenants; ++i) tenants[i].organization = absl::StrCat("prod-chain-", i);
    return tenants;
  }
  const std::vector<PlacedTenant> placed =
      TenantsOnEveryPrimary(*redis.cluster(), kTenants, "prod-chain");
  for (int i = 0; i < kTenants; ++i) {
    tenants[i].organization = placed[i].organization;
    tenants[i].primary_port = placed[i].primary_port;
  }
  return tenants;
}

TEST_P(ProductionConfigTest, EachTenantsTokenSeesOnlyItsOwnData) {
  std::vector<Tenant> tenants = NameTenants(redis_);
  if (redis_.cluster() != nullptr) {
    std::set<int> primaries;
    for (const Tenant& t : tenants) primaries.insert(t.primary_port);
    ASSERT_EQ(primaries.size(), 3u) << "tenants not on all 3 primaries";
  }

  // --- Each tenant: its clinic, one patient reached by e-mail, a booking tomorrow -----
  const absl::CivilDay tomorrow = absl::ToCivilDay(suite_.clock().Now(), berlin_) + 1;
  for (Tenant& t : tenants) {
    SCOPED_TRACE(t.organization);
    t.api = std::make_unique<Stubs>(suite_);
    t.api->token = prod().MintToken(Suite::AllStaffRoles(), t.organization, "chain-staff");
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(*t.api, &t.org));
    pv1::Patient patient =
        GermanPatient("Liesel", pv1::CHANNEL_EMAIL, absl::StrCat(t.organization, "@example.org"));
    patient.mutable_quiet_hours()->mutable_start()->set_hours(0);  // any hour: asked at once
    patient.mutable_quiet_hours()->mutable_end()->set_hours(0);
    // The same request id in every tenant: idempotency is per tenant too.
    t.patient = Register(*t.api, "prod-tenant-patient", patient);
    ASSERT_FALSE(t.patient.id().empty());
    ASSERT_RPC_OK(BookSession(*t.api, t.org, "prod-tenant-booking", t.patient.id(), t.org.hydralift,
                              absl::FromCivil(absl::CivilHour(tomorrow) + 14, berlin_), &t.booked));
  }

  // The event intake notices organizations new since its last look within
  // 10 s of its clock (EventConsumerOptions::org_refresh_interval): moved
  // on rather than waited for. Tokens live minutes, so none expires.
  suite_.clock().Advance(absl::Seconds(11));

  // --- Each booking's confirmation request reaches its own patient over STARTTLS ------
  for (Tenant& t : tenants) {
    SCOPED_TRACE(t.organization);
    std::set<std::string> requests;
    ASSERT_TRUE(WaitFor(
        [&] {
          requests = ReminderIds(*t.api, t.booked.id(), nv1::REMINDER_KIND_CONFIRMATION_REQUEST);
          return !MailsFor(requests).empty();
        },
        absl::Seconds(30)))
        << "the confirmation request e-mail did not arrive";
    const testing::ReceivedMail mail = MailsFor(requests).front();
    EXPECT_TRUE(mail.tls) << "e-mail sent without STARTTLS";
    EXPECT_EQ(mail.auth_user, ProductionSetup::kSmtpUser);
    EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{t.patient.contact().email()});
  }

  // --- No tenant's token reaches another tenant's data ----------------------------------
  for (int i = 0; i < kTenants; ++i) {
    const Tenant& t = tenants[i];
    const Tenant& other = tenants[(i + 1) % kTenants];
    SCOPED_TRACE(t.organization + " reading " + other.organization);
    const Stubs& api = *t.api;

    pv1::GetPatientRequest own_patient;
    own_patient.set_id(t.patient.id());
    pv1::Patient read;
    ASSERT_RPC_OK(
        api.Call([&](auto* c) { return api.patients->GetPatient(c, own_patient, &read); }));

    pv1::GetPatientRequest get_patient;
    get_patient.set_id(other.patient.id());
    grpc::Status status =
        api.Call([&](auto* c) { return api.patients->GetPatient(c, get_patient, &read); });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

    sv1::GetAppointmentRequest get_appointment;
    get_appointment.set_id(other.booked.id());
    sv1::Appointment appointment;
    status = api.Call(
        [&](auto* c) { return api.scheduling->GetAppointment(c, get_appointment, &appointment); });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

    nv1::ListRemindersRequest reminders;
    reminders.set_appointment_id(other.booked.id());
    nv1::ListRemindersResponse listed;
    status =
        api.Call([&](auto* c) { return api.notifications->ListReminders(c, reminders, &listed); });
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(listed.reminders_size(), 0) << listed.DebugString();

    pv1::ListPatientsRequest search;
    search.set_email(other.patient.contact().email());
    pv1::ListPatientsResponse found;
    ASSERT_RPC_OK(api.Call([&](auto* c) { return api.patients->ListPatients(c, search, &found); }));
    EXPECT_EQ(found.patients_size(), 0) << found.DebugString();
    pv1::ListPatientsRequest everyone;
    ASSERT_RPC_OK(
        api.Call([&](auto* c) { return api.patients->ListPatients(c, everyone, &found); }));
    ASSERT_EQ(found.patients_size(), 1) << found.DebugString();
    EXPECT_EQ(found.patients(0).id(), t.patient.id());

    // On a Cluster: the tenant's event stream is on the primary owning its
    // slot (asked without redirection: another node would answer MOVED).
    if (testing::RedisCluster* cluster = redis_.cluster()) {
      const common::RedisReply exists = cluster->NodeCommand(
          t.primary_port, {"EXISTS", common::StreamKey(t.organization).value()});
      EXPECT_EQ(exists.integer(), 1) << exists.str();
    }
  }
}

}  // namespace
}  // namespace dermaflow::e2e
