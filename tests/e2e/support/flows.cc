#include "tests/e2e/support/flows.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "common/time/proto_time.h"
#include "tests/support/open_every_day.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

}  // namespace

std::string Describe(const grpc::Status& status) {
  if (status.ok()) return "OK";
  return absl::StrCat(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                      ": ", status.error_message());
}

Stubs::Stubs(Suite& s)
    : suite(s),
      token(s.MintToken()),
      patients(pv1::PatientService::NewStub(s.patient_channel())),
      protocols(prv1::ProtocolService::NewStub(s.protocol_channel())),
      scheduling(sv1::SchedulingService::NewStub(s.scheduling_channel())) {
  Reconnect();
}

void Stubs::Reconnect() {
  notifications = nv1::NotificationService::NewStub(suite.notification_channel());
}

grpc::Status Stubs::Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const {
  grpc::ClientContext ctx;
  suite.Authorize(&ctx, token);
  return rpc(&ctx);
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (done()) return true;
    if (absl::Now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void SetUpOrganization(Stubs& api, Organization* org) {
  prv1::SeedCatalogRequest seed;
  prv1::SeedCatalogResponse seeded;
  ASSERT_RPC_OK(api.Call([&](auto* c) { return api.protocols->SeedCatalog(c, seed, &seeded); }));
  for (const auto& p : seeded.created()) {
    if (p.source().catalog_key() == "mesotherapy_hydralift") org->hydralift = p.id();
    if (p.source().catalog_key() == "collagen_induction") org->collagen_induction = p.id();
  }
  ASSERT_FALSE(org->hydralift.empty()) << seeded.DebugString();
  ASSERT_FALSE(org->collagen_induction.empty()) << seeded.DebugString();

  sv1::CreateClinicRequest clinic;
  clinic.set_request_id("e2e-clinic-berlin");
  clinic.mutable_clinic()->set_display_name("Dermaflow Berlin Mitte");
  clinic.mutable_clinic()->set_time_zone("Europe/Berlin");
  clinic.mutable_clinic()->set_contact_phone("+49301234567");
  testing::OpenEveryDay(*clinic.mutable_clinic());
  sv1::Clinic berlin;
  ASSERT_RPC_OK(
      api.Call([&](auto* c) { return api.scheduling->CreateClinic(c, clinic, &berlin); }));
  org->berlin_clinic = berlin.id();

  sv1::CreatePractitionerRequest practitioner;
  practitioner.set_request_id("e2e-dr-weber");
  sv1::Practitioner* p = practitioner.mutable_practitioner();
  p->set_display_name("Dr. Anna Weber");
  p->add_clinic_ids(berlin.id());
  p->set_subject("e2e-dr-weber");
  testing::WorkEveryDay(*p, berlin.id());
  sv1::Practitioner weber;
  ASSERT_RPC_OK(api.Call(
      [&](auto* c) { return api.scheduling->CreatePractitioner(c, practitioner, &weber); }));
  org->practitioner = weber.id();

  sv1::CreateRoomRequest room;
  room.set_request_id("e2e-room-1");
  room.mutable_room()->set_clinic_id(berlin.id());
  room.mutable_room()->set_display_name("Raum 1");
  sv1::Room created;
  ASSERT_RPC_OK(api.Call([&](auto* c) { return api.scheduling->CreateRoom(c, room, &created); }));
  org->room = created.id();
}

grpc::Status RegisterPatient(const Stubs& api, const std::string& request_id,
                             const pv1::Patient& patient, pv1::Patient* out) {
  pv1::CreatePatientRequest create;
  create.set_request_id(request_id);
  *create.mutable_patient() = patient;
  return api.Call([&](auto* c) { return api.patients->CreatePatient(c, create, out); });
}

grpc::Status BookSession(const Stubs& api, const Organization& org, const std::string& request_id,
                         const std::string& patient_id, const std::string& protocol_id,
                         absl::Time start, sv1::Appointment* out) {
  sv1::BookAppointmentRequest book;
  book.set_request_id(request_id);
  book.set_patient_id(patient_id);
  book.set_protocol_id(protocol_id);
  book.set_clinic_id(org.berlin_clinic);
  book.set_practitioner_id(org.practitioner);
  *book.mutable_start_time() = common::ToTimestamp(start);
  return api.Call([&](auto* c) { return api.scheduling->BookAppointment(c, book, out); });
}

grpc::Status UntilNotUnavailable(const std::function<grpc::Status()>& call) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(45);
  grpc::Status status = call();
  while (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = call();
  }
  return status;
}

void ExpectBookingsKept(const Stubs& api, const std::vector<sv1::Appointment>& acknowledged) {
  for (const sv1::Appointment& a : acknowledged) {
    sv1::GetAppointmentRequest get;
    get.set_id(a.id());
    sv1::Appointment read;
    const grpc::Status status =
        api.Call([&](auto* c) { return api.scheduling->GetAppointment(c, get, &read); });
    EXPECT_TRUE(status.ok()) << a.id() << ": " << Describe(status);
    EXPECT_EQ(read.patient_id(), a.patient_id()) << a.id();
    EXPECT_EQ(read.start_time().seconds(), a.start_time().seconds()) << a.id();
    EXPECT_EQ(read.state(), a.state()) << a.id();
  }
}

grpc::Status AddToWaitlist(const Stubs& api, const Organization& org, const std::string& request_id,
                           const std::string& patient_id, const std::string& protocol_id,
                           absl::CivilDay from, sv1::WaitlistEntry* out) {
  sv1::CreateWaitlistEntryRequest create;
  create.set_request_id(request_id);
  create.mutable_entry()->set_patient_id(patient_id);
  create.mutable_entry()->set_protocol_id(protocol_id);
  create.mutable_entry()->set_clinic_id(org.berlin_clinic);
  *create.mutable_entry()->mutable_earliest_date() = common::ToDate(from);
  *create.mutable_entry()->mutable_latest_date() = common::ToDate(from + 7);
  return api.Call([&](auto* c) { return api.scheduling->CreateWaitlistEntry(c, create, out); });
}

pv1::Patient NewPatient(const std::string& given, const std::string& family,
                        const std::string& locale, const std::string& email,
                        const std::string& phone) {
  pv1::Patient p;
  p.set_given_name(given);
  p.set_family_name(family);
  p.mutable_birth_date()->set_year(1984);
  p.mutable_birth_date()->set_month(5);
  p.mutable_birth_date()->set_day(17);
  p.set_locale(locale);
  p.mutable_contact()->set_email(email);
  p.mutable_contact()->set_phone(phone);
  p.set_preferred_channel(pv1::CHANNEL_IN_APP);
  for (pv1::Channel channel : {pv1::CHANNEL_IN_APP, pv1::CHANNEL_EMAIL}) {
    auto* consent = p.add_consents();
    consent->set_channel(channel);
    consent->set_state(pv1::CONSENT_STATE_GIVEN);
    consent->set_reason("signed registration form");
  }
  pv1::MedicalProfile* m = p.mutable_medical_profile();
  m->set_pregnant(false);
  m->set_breastfeeding(false);
  m->set_diabetes(false);
  m->set_cancer_treatment(false);
  m->set_epilepsy(false);
  m->set_anticoagulants(false);
  m->set_has_allergies(false);
  return p;
}

std::vector<nv1::Delivery> Deliveries(const Stubs& api, const std::string& patient_id) {
  nv1::ListDeliveriesRequest req;
  req.set_patient_id(patient_id);
  req.set_page_size(500);
  nv1::ListDeliveriesResponse resp;
  if (!api.Call([&](auto* c) { return api.notifications->ListDeliveries(c, req, &resp); }).ok())
    return {};
  return {resp.deliveries().begin(), resp.deliveries().end()};
}

std::vector<nv1::Reminder> Reminders(const Stubs& api, const nv1::ListRemindersRequest& filter) {
  std::vector<nv1::Reminder> out;
  nv1::ListRemindersRequest req = filter;
  req.set_page_size(500);
  do {
    nv1::ListRemindersResponse resp;
    if (!api.Call([&](auto* c) { return api.notifications->ListReminders(c, req, &resp); }).ok())
      return {};
    out.insert(out.end(), resp.reminders().begin(), resp.reminders().end());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

DeliveryWatcher::DeliveryWatcher(const Stubs& api, const std::string& patient_id) {
  ctx_.AddMetadata("authorization", "Bearer " + api.token);
  nv1::WatchNotificationsRequest req;
  req.set_patient_id(patient_id);
  auto* stub = api.notifications.get();
  reader_ = std::thread([this, stub, req] {
    auto stream = stub->WatchNotifications(&ctx_, req);
    nv1::Delivery d;
    while (stream->Read(&d)) {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(d);
    }
    stream->Finish();
  });
  // Give the server a moment to subscribe before the test makes deliveries.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
}

DeliveryWatcher::~DeliveryWatcher() {
  ctx_.TryCancel();
  reader_.join();
}

std::vector<nv1::Delivery> DeliveryWatcher::Received() {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

std::string DumpRedis(Suite& suite) {
  common::RedisOptions options;
  options.port = suite.redis().port();
  common::RedisClient redis(options);
  std::string dump;
  auto append_all = [&](const common::RedisReply& reply, auto& self) -> void {
    if (reply.is_array()) {
      for (const auto& e : reply.elements()) self(e, self);
    } else {
      absl::StrAppend(&dump, reply.str(), "\n");
    }
  };
  std::string cursor = "0";
  do {
    auto page = redis.Command({"SCAN", cursor, "COUNT", "1000"});
    if (!page.ok() || page->elements().size() != 2) return "SCAN failed";
    cursor = page->elements()[0].str();
    for (const auto& key_reply : page->elements()[1].elements()) {
      const std::string& key = key_reply.str();
      absl::StrAppend(&dump, "KEY ", key, "\n");
      auto type = redis.Command({"TYPE", key});
      if (!type.ok()) continue;
      std::vector<std::string> read;
      if (type->str() == "string") read = {"GET", key};
      if (type->str() == "hash") read = {"HGETALL", key};
      if (type->str() == "list") read = {"LRANGE", key, "0", "-1"};
      if (type->str() == "set") read = {"SMEMBERS", key};
      if (type->str() == "zset") read = {"ZRANGE", key, "0", "-1", "WITHSCORES"};
      if (type->str() == "stream") read = {"XRANGE", key, "-", "+"};
      if (read.empty()) continue;
      auto value = redis.Command(read);
      if (value.ok()) append_all(*value, append_all);
    }
  } while (cursor != "0");
  return dump;
}

}  // namespace dermaflow::e2e
