// The patient service as front ends meet it: PatientGrpcService on a real
// gRPC server over loopback, a real redis-server, JWT callers of two
// organizations, and helpers to call every RPC and to look into Redis.
//
//   class MyTest : public PatientServiceTest {};
//   TEST_F(MyTest, X) { absl::StatusOr<v1::Patient> p = Create(kStaffA, ValidPatient(), "req-1"); }
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/authenticator.h"
#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/redis_patient_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_server.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient::testing {

namespace events = ::dermaflow::events::v1;

// Who calls: organization, token subject and roles.
struct Who {
  std::string org;
  std::string subject;
  std::vector<std::string> roles;
};

inline const Who kStaffA{"clinic-a", "dr-weber", {"reception", "practitioner", "clinic_admin"}};
inline const Who kStaffB{"clinic-b", "dr-braun", {"reception", "practitioner", "clinic_admin"}};
inline const Who kReceptionA{"clinic-a", "front-desk-1", {"reception"}};

class PatientServiceTest : public ::testing::Test {
 protected:
  PatientServiceTest();
  ~PatientServiceTest() override;

  absl::StatusOr<v1::Patient> Create(const Who& who, const v1::Patient& patient,
                                     const std::string& request_id);
  // Creates ValidPatient() with these names and contacts (request id from a counter).
  v1::Patient CreateNamed(const Who& who, const std::string& given, const std::string& family,
                          const std::string& phone = "", const std::string& email = "");
  absl::StatusOr<v1::Patient> Get(const Who& who, const std::string& id,
                                  v1::PatientView view = v1::PATIENT_VIEW_BASIC);
  absl::StatusOr<v1::Patient> Update(const Who& who, const v1::Patient& patient,
                                     std::vector<std::string> paths);
  absl::StatusOr<v1::ListPatientsResponse> List(const Who& who,
                                                const v1::ListPatientsRequest& request);
  absl::Status Delete(const Who& who, const std::string& id, const std::string& etag,
                      const std::string& reason = "erasure request by letter");
  absl::StatusOr<v1::ExportPatientResponse> Export(const Who& who, const std::string& id);
  absl::StatusOr<v1::Patient> SetConsent(const Who& who, const v1::SetConsentRequest& request);
  absl::StatusOr<v1::ListAuditEntriesResponse> ListAudit(
      const Who& who, const v1::ListAuditEntriesRequest& request);

  // Raw Redis: a command, the key count, every key of a tenant, and a dump of
  // every key and value of a tenant (strings, hashes, lists, sets, sorted
  // sets and streams).
  common::RedisReply Redis(std::vector<std::string> argv);
  int64_t KeyCount();
  std::vector<std::string> TenantKeys(const std::string& org);
  std::string TenantDump(const std::string& org);
  // The events in `df:{org}:events`, oldest first.
  std::vector<events::Event> Events(const std::string& org);

  common::FakeClock clock_{
      absl::FromCivil(absl::CivilSecond(2026, 3, 29, 10, 0, 0), absl::UTCTimeZone())};
  dermaflow::testing::RedisServer redis_server_;
  std::unique_ptr<common::RedisClient> redis_;
  std::unique_ptr<RedisPatientStore> store_;
  std::unique_ptr<PatientManager> manager_;
  std::unique_ptr<common::Authenticator> authenticator_;
  std::unique_ptr<PatientGrpcService> service_;
  std::unique_ptr<dermaflow::testing::TestServer> server_;
  std::unique_ptr<v1::PatientService::Stub> stub_;

 private:
  std::unique_ptr<grpc::ClientContext> Context(const Who& who);
  int next_request_ = 0;
};

}  // namespace dermaflow::patient::testing
