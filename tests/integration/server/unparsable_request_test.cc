// Request bodies protobuf cannot parse -- invalid UTF-8 in a string field,
// random bytes -- sent raw (grpc::GenericStub) to each real binary, with
// --auth=jwt and no token: every one answers INVALID_ARGUMENT naming the
// expected message, fast, never INTERNAL (which reads as "server broken").
// Covers the sync services (protocol, scheduling, notification, including a
// server stream) and the callback-API patient service, and the per-service
// max receive message size.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/process.h"
#include "tests/support/raw_grpc_call.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::testing {
namespace {

using ::testing::HasSubstr;

struct Target {
  std::string service;  // binary name
  std::string method;   // a unary (or server-streaming) RPC taking `string id = 1`-like field 1
  std::string request_type;
};

void PrintTo(const Target& t, std::ostream* os) { *os << t.method; }

class UnparsableRequestTest : public ::testing::TestWithParam<Target> {
 protected:
  UnparsableRequestTest() {
    const std::string key_file = dir_.path() + "/hs256.key";
    std::ofstream(key_file) << "unparsable-request-test-secret-0123456789abcdef\n";
    args_ = {"--auth=jwt", "--jwt_hs256_key_file=" + key_file};
  }

  TempDir dir_;
  RedisServer redis_;
  std::vector<std::string> args_;
};

TEST_P(UnparsableRequestTest, BadBodiesAnswerInvalidArgumentWithoutAToken) {
  const Target& t = GetParam();
  ServiceProcess service(t.service, redis_.url(), args_);
  ASSERT_TRUE(service.WaitForHealth(grpc::health::v1::HealthCheckResponse::SERVING,
                                    std::chrono::seconds(10)))
      << service.process().ReadLog();

  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"invalid UTF-8 in field 1", std::string("\x0a\x03\xff\xfe\xc0", 5)},
      {"garbage", std::string("\xff\xff\xff\xff\xff\xff\x07\x13\x37", 9)},
      {"truncated length", std::string("\x0a\x7f\x61", 3)},
  };
  for (const auto& [what, body] : bodies) {
    RawAnswer a = CallRaw(service.channel(), t.method, body);
    EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << t.service << " " << what << ": " << a.status.error_code() << " "
        << a.status.error_message();
    EXPECT_THAT(a.status.error_message(),
                HasSubstr("request body is not a valid " + t.request_type))
        << what;
    // Generous: one call on a shared 2-core box can stall ~200 ms; the burst
    // below holds the p99 to 100 ms.
    EXPECT_LT(a.elapsed, std::chrono::milliseconds(500)) << what;
    std::cout << t.service << " " << what << ": " << a.elapsed.count() << " us\n";
  }
  // The RED metrics count them as the caller's mistake, not the server's.
  const std::string metrics = HttpGet(service.metrics_port(), "/metrics");
  const std::string rpc = t.method.substr(t.method.rfind('/') + 1);
  bool counted = false;
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    counted |= absl::StartsWith(line, "grpc_server_handled_total{") &&
               absl::StrContains(line, "grpc_method=\"" + rpc + "\"") &&
               absl::StrContains(line, "grpc_code=\"InvalidArgument\"");
  }
  EXPECT_TRUE(counted) << metrics;
  // Control: a well-formed body without a token reaches authentication.
  RawAnswer ok_body = CallRaw(service.channel(), t.method, std::string("\x0a\x01x", 3));
  EXPECT_EQ(ok_body.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << ok_body.status.error_message();
}

INSTANTIATE_TEST_SUITE_P(
    AllServices, UnparsableRequestTest,
    ::testing::Values(Target{"patient", "/dermaflow.patient.v1.PatientService/GetPatient",
                             "dermaflow.patient.v1.GetPatientRequest"},
                      Target{"protocol", "/dermaflow.protocol.v1.ProtocolService/GetProtocol",
                             "dermaflow.protocol.v1.GetProtocolRequest"},
                      Target{"scheduling", "/dermaflow.scheduling.v1.SchedulingService/GetClinic",
                             "dermaflow.scheduling.v1.GetClinicRequest"},
                      Target{"notification",
                             "/dermaflow.notification.v1.NotificationService/GetReminder",
                             "dermaflow.notification.v1.GetReminderRequest"},
                      Target{"notification",
                             "/dermaflow.notification.v1.NotificationService/WatchNotifications",
                             "dermaflow.notification.v1.WatchNotificationsRequest"}),
    [](const ::testing::TestParamInfo<Target>& info) {
      return info.param.service + "_" + info.param.method.substr(info.param.method.rfind('/') + 1);
    });

// The probe of issue 16: 500 bad bodies without a token from one client.
// Each is INVALID_ARGUMENT, 99 % within 100 ms, and the service's stderr
// holds only JSON lines, protobuf's complaints rate-limited (not one a call).
TEST_P(UnparsableRequestTest, ABurstOfBadBodiesIsAnsweredFastAndBarelyLogged) {
  const Target& t = GetParam();
  ServiceProcess service(t.service, redis_.url(), args_);
  ASSERT_TRUE(service.WaitForHealth(grpc::health::v1::HealthCheckResponse::SERVING,
                                    std::chrono::seconds(10)));
  const std::string invalid_utf8("\x0a\x03\xff\xfe\xc0", 5);
  std::vector<int64_t> micros;
  for (int i = 0; i < 500; ++i) {
    RawAnswer a = CallRaw(service.channel(), t.method, invalid_utf8);
    ASSERT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << i;
    micros.push_back(a.elapsed.count());
  }
  std::sort(micros.begin(), micros.end());
  // p99, not the max: a loaded test machine stalls a rare call ~200 ms.
  EXPECT_LT(micros[495], 100'000) << "p99 of 500, in us";
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(service.process().ReadLog(), '\n')) {
    if (line.empty()) continue;
    EXPECT_TRUE(absl::StartsWith(line, "{")) << "not a JSON line: " << line;
    ++lines;
  }
  EXPECT_LT(lines, 100) << "about 5 library lines a second, not one per call";
  std::cout << t.service << ": 500 bad bodies, median " << micros[250] << " us, p99 " << micros[495]
            << " us, max " << micros.back() << " us, " << lines << " log lines\n";
}

// Scheduling takes small requests only: above 1 MiB it refuses the body
// unread; the 4 MiB default of the others still takes 2 MiB.
TEST(MaxReceiveMessageSizeTest, SchedulingRefusesTwoMebibytesPatientTakesThem) {
  RedisServer redis;
  ServiceProcess scheduling("scheduling", redis.url());
  ServiceProcess patient("patient", redis.url());
  // Field 1 (string) of 2 MiB 'a's: valid UTF-8, only too large.
  const size_t n = 2 * 1024 * 1024;
  std::string body("\x0a", 1);
  for (size_t v = n; v != 0; v >>= 7)
    body.push_back(static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
  body.append(n, 'a');

  RawAnswer big =
      CallRaw(scheduling.channel(), "/dermaflow.scheduling.v1.SchedulingService/GetClinic", body);
  EXPECT_EQ(big.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << big.status.error_message();
  RawAnswer taken =
      CallRaw(patient.channel(), "/dermaflow.patient.v1.PatientService/GetPatient", body);
  EXPECT_NE(taken.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << taken.status.error_message();
  EXPECT_NE(taken.status.error_code(), grpc::StatusCode::INTERNAL) << taken.status.error_message();
}

}  // namespace
}  // namespace dermaflow::testing
