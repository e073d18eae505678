#include "tests/e2e/hardening/hardening_env.h"

#include "absl/strings/str_cat.h"
#include "dermaflow/notification/v1/notification_service.pb.h"
#include "dermaflow/patient/v1/patient_service.pb.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "gtest/gtest.h"

namespace dermaflow::e2e {

std::vector<ServiceUnderTest> AllServices() {
  return {
      {"patient", patient::v1::GetPatientRequest::descriptor()->file()->service(0)},
      {"protocol", protocol::v1::GetProtocolRequest::descriptor()->file()->service(0)},
      {"scheduling", scheduling::v1::GetClinicRequest::descriptor()->file()->service(0)},
      {"notification", notification::v1::GetReminderRequest::descriptor()->file()->service(0)},
  };
}

namespace {

std::unique_ptr<Suite>& TheSuite() {
  static std::unique_ptr<Suite> suite;
  return suite;
}

// Stops the suite's processes (by PID, in ~Suite) after the last test.
class StopSuiteAtEnd : public ::testing::Environment {
 public:
  void TearDown() override { TheSuite().reset(); }
};
const ::testing::Environment* const kStopSuiteAtEnd =
    ::testing::AddGlobalTestEnvironment(new StopSuiteAtEnd);

}  // namespace

Suite& SharedSuite() {
  if (TheSuite() == nullptr) TheSuite() = std::make_unique<Suite>();
  return *TheSuite();
}

std::shared_ptr<grpc::Channel> ChannelOf(const std::string& service) {
  Suite& suite = SharedSuite();
  if (service == "patient") return suite.patient_channel();
  if (service == "protocol") return suite.protocol_channel();
  if (service == "scheduling") return suite.scheduling_channel();
  return suite.notification_channel();
}

std::string MethodPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

testing::RawAnswer CallAsStaff(const ServiceUnderTest& service,
                               const google::protobuf::MethodDescriptor& method,
                               const std::string& body, std::chrono::milliseconds stream_wait) {
  static const std::string authorization = "Bearer " + SharedSuite().MintToken();
  const std::shared_ptr<grpc::Channel> channel = ChannelOf(service.name);
  const std::chrono::milliseconds deadline =
      method.server_streaming() ? stream_wait : std::chrono::milliseconds(5000);
  testing::RawAnswer best =
      testing::CallRaw(channel, MethodPath(method), body, authorization, deadline);
  for (int retry = 0; retry < 2 && best.elapsed > kSlowAnswer; ++retry) {
    testing::RawAnswer again =
        testing::CallRaw(channel, MethodPath(method), body, authorization, deadline);
    if (again.elapsed < best.elapsed) best = again;
  }
  return best;
}

}  // namespace dermaflow::e2e
