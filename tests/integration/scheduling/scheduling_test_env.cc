#include "tests/integration/scheduling/scheduling_test_env.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/key_files.h"
#include "common/clients/retry_policy.h"
#include "common/events/event_stream.h"
#include "common/redis/redis_options.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"

namespace dermaflow::scheduling::testing {
namespace {

constexpr char kSecret[] = "scheduling-test-secret-0123456789abcdef0123456789";

template <typename M>
M Detail(const grpc::Status& status, const char* type_url) {
  M detail;
  auto payload = common::FromGrpcStatus(status).GetPayload(type_url);
  if (payload) detail.ParseFromString(std::string(*payload));
  return detail;
}

google::type::TimeOfDay Tod(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

constexpr google::type::DayOfWeek kWeekdays[] = {google::type::MONDAY, google::type::TUESDAY,
                                                 google::type::WEDNESDAY, google::type::THURSDAY,
                                                 google::type::FRIDAY};

v1::Practitioner PractitionerAt(const std::string& clinic_id, const std::string& name,
                                const std::string& subject) {
  v1::Practitioner p;
  p.set_display_name(name);
  p.add_clinic_ids(clinic_id);
  p.set_subject(subject);
  p.set_is_physician(true);
  p.add_qualified_categories(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  p.add_qualified_categories(protocol::v1::PROTOCOL_CATEGORY_COLLAGEN_INJECTION);
  for (auto day : kWeekdays) {
    auto* h = p.add_working_hours();
    h->set_clinic_id(clinic_id);
    h->set_day_of_week(day);
    *h->mutable_start() = Tod(8, 0);
    *h->mutable_end() = Tod(19, 0);
  }
  return p;
}

void Check(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + ": " + status.error_message());
}

}  // namespace

absl::TimeZone Berlin() {
  absl::TimeZone tz;
  absl::LoadTimeZone("Europe/Berlin", &tz);
  return tz;
}

SchedulingEnv::SchedulingEnv()
    : clock_(absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()) / 60 * 60)) {
  const std::string key_file = dir_.path() + "/hs256.key";
  std::ofstream(key_file) << kSecret << "\n";
  const std::vector<std::string> auth = {"--auth=jwt", "--jwt_hs256_key_file=" + key_file};
  patient_process_ =
      std::make_unique<dermaflow::testing::ServiceProcess>("patient", redis_.url(), auth);
  std::vector<std::string> protocol_args = auth;
  protocol_args.push_back("--patient_addr=" + patient_process_->address());
  protocol_process_ =
      std::make_unique<dermaflow::testing::ServiceProcess>("protocol", redis_.url(), protocol_args);

  auto options = common::ParseRedisUrl(redis_.url());
  if (!options.ok()) throw std::runtime_error(options.status().ToString());
  options->pool_size = 16;
  redis_client_ = std::make_unique<common::RedisClient>(*options);
  auto authenticator = common::MakeAuthenticator({.mode = "jwt", .hs256_key_file = key_file});
  if (!authenticator.ok()) throw std::runtime_error(authenticator.status().ToString());
  authenticator_ = *std::move(authenticator);
  resources_ = std::make_unique<RedisResourceStore>(*redis_client_);
  appointments_ = std::make_unique<RedisAppointmentStore>(*redis_client_, clock_);
  // Clients as main.cc wires them, on channels retrying as Connect's do.
  // Scheduling's own identity (the waitlist acts without a person's token),
  // signed with the development secret as main.cc does under HS256; tokens
  // are timed by the real clock, which the services checking them use.
  auto service_key = common::ReadHs256Key(key_file);
  if (!service_key.ok()) throw std::runtime_error(service_key.status().ToString());
  service_tokens_ = std::make_unique<common::ServiceTokenSource>(
      common::ServiceTokenOptions{.service = "scheduling", .key = *service_key},
      common::SystemClock());
  waitlist_store_ = std::make_unique<RedisWaitlistStore>(*redis_client_, clock_);
  const common::ClientOptions clients{.via_service = "scheduling",
                                      .timeout = absl::Seconds(10),
                                      .service_tokens = service_tokens_.get()};
  auto connect = [](const std::string& address) {
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                     common::RetryingChannelArguments());
  };
  protocol_service_client_ =
      std::make_unique<common::GrpcProtocolClient>(connect(protocol_process_->address()), clients);
  protocol_client_ = std::make_unique<common::CachingProtocolClient>(*protocol_service_client_);
  patient_client_ =
      std::make_unique<common::GrpcPatientClient>(connect(patient_process_->address()), clients);
  registry_ = std::make_shared<prometheus::Registry>();
  metrics_ = std::make_unique<SchedulingMetrics>(*registry_);
  confirmation_metrics_ = std::make_unique<ConfirmationMetrics>(*registry_);
  waitlist_metrics_ = std::make_unique<WaitlistMetrics>(*registry_);
  service_waitlist_ = std::make_unique<WaitlistDeps>(waitlist_deps());
  service_ = std::make_unique<SchedulingGrpcService>(*authenticator_, deps(), metrics_.get(),
                                                     service_waitlist_.get());
  server_ =
      std::make_unique<dermaflow::testing::TestServer>(std::vector<grpc::Service*>{service_.get()});
  scheduling_stub_ = NewSchedulingStub();
  patient_stub_ = patient::v1::PatientService::NewStub(patient_process_->channel());
  protocol_stub_ = protocol::v1::ProtocolService::NewStub(protocol_process_->channel());
  using grpc::health::v1::HealthCheckResponse;
  for (auto* p : {patient_process_.get(), protocol_process_.get()}) {
    if (!p->WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(15))) {
      throw std::runtime_error("service not healthy: " + p->process().ReadLog());
    }
  }
}

SchedulingEnv::~SchedulingEnv() { server_.reset(); }

std::unique_ptr<v1::SchedulingService::Stub> SchedulingEnv::NewSchedulingStub() const {
  // A channel of its own, so concurrent clients do not share a connection.
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  return v1::SchedulingService::NewStub(
      grpc::CreateCustomChannel(server_->address(), grpc::InsecureChannelCredentials(), args));
}

std::string SchedulingEnv::Token(const std::string& org, std::vector<std::string> roles,
                                 const std::string& subject) const {
  auto token = common::MintJwt({.organization = org,
                                .subject = subject,
                                .roles = std::move(roles),
                                .expires_at = absl::Now() + absl::Hours(1)},
                               common::JwtAlgorithm::kHs256, kSecret);
  if (!token.ok()) throw std::runtime_error(token.status().ToString());
  return *token;
}

std::unique_ptr<grpc::ClientContext> SchedulingEnv::Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  // Wait for the connection rather than fail fast when 64 fresh channels
  // connect at once on a busy machine.
  ctx->set_wait_for_ready(true);
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  return ctx;
}

Organization SchedulingEnv::SetUpOrganization(const std::string& org) {
  Organization o;
  o.org = org;
  o.admin_token = Token(org, {"clinic_admin"}, "admin-1");
  o.practitioner_token = Token(org, {"practitioner"}, "dr-weber");
  o.reception_token = Token(org, {"reception"}, "desk-1");

  v1::CreateClinicRequest clinic_req;
  clinic_req.set_request_id("clinic-1");
  v1::Clinic* c = clinic_req.mutable_clinic();
  c->set_display_name("Dermaflow Berlin Mitte");
  c->set_time_zone("Europe/Berlin");
  c->set_contact_phone("+49301234567");
  for (auto day : kWeekdays) {
    auto* h = c->add_opening_hours();
    h->set_day_of_week(day);
    *h->mutable_open() = Tod(8, 0);
    *h->mutable_close() = Tod(19, 0);
  }
  c->mutable_buffer()->set_seconds(600);
  v1::Clinic clinic;
  Check(scheduling().CreateClinic(Ctx(o.admin_token).get(), clinic_req, &clinic), "CreateClinic");
  o.clinic_id = clinic.id();

  v1::CreatePractitionerRequest p_req;
  p_req.set_request_id("practitioner-1");
  *p_req.mutable_practitioner() = PractitionerAt(o.clinic_id, "Dr. Anna Weber", "dr-weber");
  v1::Practitioner practitioner;
  Check(scheduling().CreatePractitioner(Ctx(o.admin_token).get(), p_req, &practitioner),
        "CreatePractitioner");
  o.practitioner_id = practitioner.id();

  // request_id: letters, digits and . _ ~ - (common/api/request_id.h).
  for (const auto& [name, request_id] :
       {std::pair{"Room 1", "room-1"}, std::pair{"Room 2", "room-2"}}) {
    v1::CreateRoomRequest r_req;
    r_req.set_request_id(request_id);
    r_req.mutable_room()->set_clinic_id(o.clinic_id);
    r_req.mutable_room()->set_display_name(name);
    v1::Room room;
    Check(scheduling().CreateRoom(Ctx(o.admin_token).get(), r_req, &room), "CreateRoom");
    o.room_ids.push_back(room.id());
  }
  // The server tries free rooms in id order.
  std::sort(o.room_ids.begin(), o.room_ids.end());

  protocol::v1::ListProtocolsResponse catalog;
  Check(protocols().ListProtocols(Ctx(o.practitioner_token).get(), {}, &catalog), "ListProtocols");
  for (const auto& p : catalog.protocols()) {
    if (p.source().catalog_key() == "mesotherapy_hydralift") o.hydralift_id = p.id();
    if (p.source().catalog_key() == "collagen_injection") o.collagen_id = p.id();
  }
  if (o.hydralift_id.empty() || o.collagen_id.empty()) {
    throw std::runtime_error("the protocol catalog lacks hydralift or collagen_injection");
  }
  return o;
}

std::string SchedulingEnv::AddPractitioner(const Organization& o, const std::string& name,
                                           const std::string& subject) {
  v1::CreatePractitionerRequest req;
  req.set_request_id("practitioner-" + absl::StrReplaceAll(name, {{" ", "-"}}));
  *req.mutable_practitioner() = PractitionerAt(o.clinic_id, name, subject);
  v1::Practitioner p;
  Check(scheduling().CreatePractitioner(Ctx(o.admin_token).get(), req, &p), "CreatePractitioner");
  return p.id();
}

std::string SchedulingEnv::CreatePatient(
    const Organization& o, const std::function<void(patient::v1::MedicalProfile*)>& edit,
    const std::function<void(patient::v1::Patient*)>& edit_patient) {
  patient::v1::CreatePatientRequest req;
  req.set_request_id("patient-" + std::to_string(++created_));
  auto* p = req.mutable_patient();
  p->set_given_name("Anna");
  p->set_family_name("Muster");
  p->mutable_birth_date()->set_year(1988);
  p->mutable_birth_date()->set_month(4);
  p->mutable_birth_date()->set_day(2);
  p->set_locale("de");
  p->set_time_zone("Europe/Berlin");
  auto* m = p->mutable_medical_profile();
  m->set_pregnant(false);
  m->set_breastfeeding(false);
  m->set_diabetes(false);
  m->set_cancer_treatment(false);
  m->set_epilepsy(false);
  m->set_anticoagulants(false);
  m->set_has_allergies(false);
  if (edit) edit(m);
  if (edit_patient) edit_patient(p);
  patient::v1::Patient created;
  Check(patient_stub_->CreatePatient(Ctx(o.practitioner_token).get(), req, &created),
        "CreatePatient");
  return created.id();
}

void SchedulingEnv::UpdateMedicalProfile(
    const Organization& o, const std::string& patient_id,
    const std::function<void(patient::v1::MedicalProfile*)>& edit) {
  patient::v1::GetPatientRequest get;
  get.set_id(patient_id);
  get.set_view(patient::v1::PATIENT_VIEW_FULL);
  patient::v1::Patient current;
  Check(patient_stub_->GetPatient(Ctx(o.practitioner_token).get(), get, &current), "GetPatient");
  patient::v1::UpdatePatientRequest update;
  *update.mutable_patient() = current;
  edit(update.mutable_patient()->mutable_medical_profile());
  update.mutable_update_mask()->add_paths("medical_profile");
  patient::v1::Patient updated;
  Check(patient_stub_->UpdatePatient(Ctx(o.practitioner_token).get(), update, &updated),
        "UpdatePatient");
}

grpc::Status SchedulingEnv::BookCollagen(const Organization& o, const std::string& patient,
                                         absl::Time start, const std::string& request_id,
                                         v1::Appointment* out) {
  v1::BookAppointmentRequest r;
  r.set_patient_id(patient);
  r.set_protocol_id(o.collagen_id);
  r.set_clinic_id(o.clinic_id);
  r.set_practitioner_id(o.practitioner_id);
  *r.mutable_start_time() = Ts(start);
  r.set_request_id(request_id);
  return scheduling().BookAppointment(Ctx(o.reception_token).get(), r, out);
}

void SchedulingEnv::ErasePatient(const Organization& o, const std::string& patient_id) {
  patient::v1::GetPatientRequest get;
  get.set_id(patient_id);
  patient::v1::Patient current;
  Check(patient_stub_->GetPatient(Ctx(o.admin_token).get(), get, &current), "GetPatient");
  patient::v1::DeletePatientRequest erase;
  erase.set_id(patient_id);
  erase.set_etag(current.etag());
  erase.set_reason("patient asked for erasure (GDPR art. 17)");
  google::protobuf::Empty done;
  Check(patient_stub_->DeletePatient(Ctx(o.admin_token).get(), erase, &done), "DeletePatient");
}

absl::Time SchedulingEnv::NextLocal(absl::Weekday weekday, int hh, int mm, int days_ahead) const {
  absl::CivilDay day = absl::ToCivilDay(clock_.Now(), Berlin()) + days_ahead;
  while (absl::GetWeekday(day) != weekday) ++day;
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hh, mm, 0),
                         Berlin());
}

std::vector<events::v1::Event> SchedulingEnv::Events(const std::string& org) {
  std::vector<events::v1::Event> out;
  auto stream = common::StreamKey(org);
  if (!stream.ok()) return out;
  auto reply = redis_client_->Command({"XRANGE", *stream, "-", "+"});
  if (!reply.ok()) return out;
  for (const auto& entry : reply->elements()) {
    const auto& fields = entry.elements()[1].elements();
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() != common::kEventField) continue;
      events::v1::Event e;
      EXPECT_TRUE(e.ParseFromString(fields[i + 1].str()));
      out.push_back(std::move(e));
    }
  }
  return out;
}

double SchedulingEnv::BookingsTotal(const std::string& result) const {
  for (const auto& family : registry_->Collect()) {
    if (family.name != "dermaflow_bookings_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "result" && label.value == result) return metric.counter.value;
      }
    }
  }
  return -1;
}

double SchedulingEnv::ConfirmationsTotal(const std::string& outcome, const std::string& via) const {
  for (const auto& family : registry_->Collect()) {
    if (family.name != "dermaflow_scheduling_confirmations_total") continue;
    for (const auto& metric : family.metric) {
      int matched = 0;
      for (const auto& label : metric.label) {
        if ((label.name == "outcome" && label.value == outcome) ||
            (label.name == "via" && label.value == via)) {
          ++matched;
        }
      }
      if (matched == 2) return metric.counter.value;
    }
  }
  return 0;
}

google::rpc::PreconditionFailure PreconditionFailureOf(const grpc::Status& status) {
  return Detail<google::rpc::PreconditionFailure>(
      status, "type.googleapis.com/google.rpc.PreconditionFailure");
}

google::rpc::ResourceInfo ResourceInfoOf(const grpc::Status& status) {
  return Detail<google::rpc::ResourceInfo>(status, "type.googleapis.com/google.rpc.ResourceInfo");
}

std::string ErrorReasonOf(const grpc::Status& status) {
  return Detail<google::rpc::ErrorInfo>(status, "type.googleapis.com/google.rpc.ErrorInfo")
      .reason();
}

std::vector<std::string> BadFieldsOf(const grpc::Status& status) {
  return common::ViolatedFields(common::FromGrpcStatus(status));
}

}  // namespace dermaflow::scheduling::testing
