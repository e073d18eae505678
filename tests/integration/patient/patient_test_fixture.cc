#include "tests/integration/patient/patient_test_fixture.h"

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt_authenticator.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/jwt_verifier.h"
#include "common/auth/key_source.h"
#include "common/redis/redis_options.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace dermaflow::patient::testing {
namespace {

const std::string kSecret = "integration-test-hs256-secret-of-at-least-32-bytes";

// `response` by reference: it is read only after the call that fills it.
template <typename Response>
absl::StatusOr<Response> Result(const grpc::Status& status, const Response& response) {
  if (!status.ok()) return common::FromGrpcStatus(status);
  return response;
}

}  // namespace

PatientServiceTest::PatientServiceTest() {
  redis_ = std::make_unique<common::RedisClient>(*common::ParseRedisUrl(redis_server_.url()));
  store_ = std::make_unique<RedisPatientStore>(*redis_, clock_);
  manager_ = std::make_unique<PatientManager>(*store_, clock_);
  // As local runs are configured: the HS256 secret signs people's and service tokens.
  auto keys = std::make_shared<common::StaticKeySource>(
      std::vector<common::JwsKey>{*common::Hs256Key(kSecret)});
  authenticator_ = std::make_unique<common::JwtAuthenticator>(
      *common::JwtVerifier::Create({.user_keys = keys, .service_keys = keys, .clock = &clock_}));
  service_ = std::make_unique<PatientGrpcService>(*manager_, *authenticator_);
  server_ =
      std::make_unique<dermaflow::testing::TestServer>(std::vector<grpc::Service*>{service_.get()});
  stub_ = v1::PatientService::NewStub(server_->channel());
}

PatientServiceTest::~PatientServiceTest() = default;

std::unique_ptr<grpc::ClientContext> PatientServiceTest::Context(const Who& who) {
  absl::StatusOr<std::string> token = common::MintJwt({.organization = who.org,
                                                       .subject = who.subject,
                                                       .roles = who.roles,
                                                       .expires_at = clock_.Now() + absl::Hours(1)},
                                                      common::JwtAlgorithm::kHs256, kSecret);
  EXPECT_TRUE(token.ok()) << token.status();
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token.value_or(""));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

absl::StatusOr<v1::Patient> PatientServiceTest::Create(const Who& who, const v1::Patient& patient,
                                                       const std::string& request_id) {
  v1::CreatePatientRequest request;
  *request.mutable_patient() = patient;
  request.set_request_id(request_id);
  v1::Patient response;
  return Result(stub_->CreatePatient(Context(who).get(), request, &response), response);
}

v1::Patient PatientServiceTest::CreateNamed(const Who& who, const std::string& given,
                                            const std::string& family, const std::string& phone,
                                            const std::string& email) {
  v1::Patient patient = ValidPatient();
  patient.set_given_name(given);
  patient.set_family_name(family);
  patient.mutable_contact()->set_phone(phone);
  patient.mutable_contact()->set_email(email);
  absl::StatusOr<v1::Patient> created = Create(who, patient, absl::StrCat("req-", ++next_request_));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.value_or(v1::Patient());
}

absl::StatusOr<v1::Patient> PatientServiceTest::Get(const Who& who, const std::string& id,
                                                    v1::PatientView view) {
  v1::GetPatientRequest request;
  request.set_id(id);
  request.set_view(view);
  v1::Patient response;
  return Result(stub_->GetPatient(Context(who).get(), request, &response), response);
}

absl::StatusOr<v1::Patient> PatientServiceTest::Update(const Who& who, const v1::Patient& patient,
                                                       std::vector<std::string> paths) {
  v1::UpdatePatientRequest request;
  *request.mutable_patient() = patient;
  for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
  v1::Patient response;
  return Result(stub_->UpdatePatient(Context(who).get(), request, &response), response);
}

absl::StatusOr<v1::ListPatientsResponse> PatientServiceTest::List(
    const Who& who, const v1::ListPatientsRequest& request) {
  v1::ListPatientsResponse response;
  return Result(stub_->ListPatients(Context(who).get(), request, &response), response);
}

absl::Status PatientServiceTest::Delete(const Who& who, const std::string& id,
                                        const std::string& etag, const std::string& reason) {
  v1::DeletePatientRequest request;
  request.set_id(id);
  request.set_etag(etag);
  request.set_reason(reason);
  google::protobuf::Empty response;
  return common::FromGrpcStatus(stub_->DeletePatient(Context(who).get(), request, &response));
}

absl::StatusOr<v1::ExportPatientResponse> PatientServiceTest::Export(const Who& who,
                                                                     const std::string& id) {
  v1::ExportPatientRequest request;
  request.set_id(id);
  v1::ExportPatientResponse response;
  return Result(stub_->ExportPatient(Context(who).get(), request, &response), response);
}

absl::StatusOr<v1::Patient> PatientServiceTest::SetConsent(const Who& who,
                                                           const v1::SetConsentRequest& request) {
  v1::Patient response;
  return Result(stub_->SetConsent(Context(who).get(), request, &response), response);
}

absl::StatusOr<v1::ListAuditEntriesResponse> PatientServiceTest::ListAudit(
    const Who& who, const v1::ListAuditEntriesRequest& request) {
  v1::ListAuditEntriesResponse response;
  return Result(stub_->ListAuditEntries(Context(who).get(), request, &response), response);
}

common::RedisReply PatientServiceTest::Redis(std::vector<std::string> argv) {
  absl::StatusOr<common::RedisReply> reply = redis_->Command(std::move(argv));
  EXPECT_TRUE(reply.ok()) << reply.status();
  return reply.value_or(common::RedisReply());
}

int64_t PatientServiceTest::KeyCount() { return Redis({"DBSIZE"}).integer(); }

std::vector<std::string> PatientServiceTest::TenantKeys(const std::string& org) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    common::RedisReply reply =
        Redis({"SCAN", cursor, "MATCH", "df:{" + org + "}:*", "COUNT", "1000"});
    cursor = reply.elements()[0].str();
    for (const auto& key : reply.elements()[1].elements()) keys.push_back(key.str());
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());  // SCAN order varies; dumps are compared
  return keys;
}

std::string PatientServiceTest::TenantDump(const std::string& org) {
  std::string dump;
  // Flattens any reply (nested arrays of strings) into `dump`.
  std::function<void(const common::RedisReply&)> append = [&](const common::RedisReply& reply) {
    dump += reply.str() + "\n";
    for (const auto& element : reply.elements()) append(element);
  };
  for (const std::string& key : TenantKeys(org)) {
    dump += key + "\n";
    const std::string type = Redis({"TYPE", key}).str();
    if (type == "string") append(Redis({"GET", key}));
    if (type == "hash") append(Redis({"HGETALL", key}));
    if (type == "list") append(Redis({"LRANGE", key, "0", "-1"}));
    if (type == "set") append(Redis({"SMEMBERS", key}));
    if (type == "zset") append(Redis({"ZRANGE", key, "0", "-1"}));
    if (type == "stream") append(Redis({"XRANGE", key, "-", "+"}));
  }
  return dump;
}

std::vector<events::Event> PatientServiceTest::Events(const std::string& org) {
  std::vector<events::Event> out;
  const common::RedisReply entries = Redis({"XRANGE", "df:{" + org + "}:events", "-", "+"});
  for (const auto& entry : entries.elements()) {
    events::Event event;
    EXPECT_TRUE(event.ParseFromString(entry.elements()[1].elements()[1].str()));
    out.push_back(event);
  }
  return out;
}

}  // namespace dermaflow::patient::testing
