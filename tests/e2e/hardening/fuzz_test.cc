// Random and mutated request bodies to every RPC of the four real binaries,
// with a staff token: no process crashes, no answer is INTERNAL, UNKNOWN,
// DATA_LOSS or UNIMPLEMENTED (a caller's bad bytes are INVALID_ARGUMENT; a
// body that happens to parse gets the answer its content deserves), and no
// call takes longer than 100 ms. Bounded and repeatable: a fixed seed per
// service (the same bodies every run), 161 bodies per RPC, one of them just under
// 4 MiB (the largest receive size of any service; scheduling refuses it as
// RESOURCE_EXHAUSTED, the others parse it).
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/server/grpc_server.h"
#include "gtest/gtest.h"
#include "tests/e2e/hardening/hardening_env.h"
#include "tests/e2e/hardening/request_shapes.h"

namespace dermaflow::e2e {
namespace {

using google::protobuf::MethodDescriptor;

constexpr int kRandomBodies = 40;
constexpr int kMutatedBodies = 120;

class Bodies {
 public:
  explicit Bodies(uint64_t seed) : rng_(seed) {}

  std::string Random(size_t max_size) {
    std::string body(Uniform(max_size), '\0');
    for (char& c : body) c = static_cast<char>(Uniform(256));
    return body;
  }

  // One of: a flipped bit, a random byte, a cut, bytes inserted, a slice
  // repeated — what a broken client or a hostile one sends.
  std::string Mutate(std::string body) {
    if (body.empty()) return Random(16);
    const size_t at = Uniform(body.size());
    switch (Uniform(5)) {
      case 0:
        body[at] = static_cast<char>(body[at] ^ (1 << Uniform(8)));
        break;
      case 1:
        body[at] = static_cast<char>(Uniform(256));
        break;
      case 2:
        body.resize(at);
        break;
      case 3:
        body.insert(at, Random(8));
        break;
      default:
        body.insert(at, body.substr(at, 1 + Uniform(16)));
        break;
    }
    return body;
  }

 private:
  size_t Uniform(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::mt19937_64 rng_;
};

bool IsServerFault(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::DATA_LOSS || code == grpc::StatusCode::UNIMPLEMENTED;
}

class FuzzTest : public ::testing::TestWithParam<ServiceUnderTest> {};

TEST_P(FuzzTest, RandomAndMutatedBodiesNeverCrashNorAnswerInternalNorHang) {
  const ServiceUnderTest& service = GetParam();
  const uint64_t seed = std::hash<std::string>{}(service.name) & 0xffffffff;  // stable
  Bodies bodies(seed);
  int sent = 0;
  std::vector<std::string> failures;
  for (int m = 0; m < service.descriptor->method_count(); ++m) {
    const MethodDescriptor& method = *service.descriptor->method(m);
    std::vector<std::string> cases;
    for (int i = 0; i < kRandomBodies; ++i) cases.push_back(bodies.Random(256));
    const std::string seed_body = Plausible(*method.input_type())->SerializeAsString();
    std::string mutated = seed_body;
    for (int i = 0; i < kMutatedBodies; ++i) {
      // Half start again from the plausible body, half pile mutations up.
      mutated = bodies.Mutate(i % 2 == 0 ? seed_body : mutated);
      cases.push_back(mutated);
    }
    cases.push_back(bodies.Random(common::kDefaultMaxReceiveMessageBytes - 1024));
    for (const std::string& body : cases) {
      ++sent;
      testing::RawAnswer a = CallAsStaff(service, method, body);
      const bool stream_open =
          method.server_streaming() && a.status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
      if (IsServerFault(a.status.error_code()) || (!stream_open && a.elapsed > kSlowAnswer)) {
        failures.push_back(absl::StrCat(
            method.name(), " body of ", body.size(), " bytes: code ", a.status.error_code(), " ",
            a.status.error_message().substr(0, 160), " in ", a.elapsed.count(), " us"));
      }
    }
  }
  std::cout << service.name << ": seed " << seed << ", " << sent << " bodies to "
            << service.descriptor->method_count() << " RPCs, " << failures.size() << " failed\n";
  EXPECT_TRUE(failures.empty()) << absl::StrJoin(failures, "\n");
  Suite& suite = SharedSuite();
  for (testing::ServiceProcess* process :
       {&suite.patient(), &suite.protocol(), &suite.scheduling(), &suite.notification()}) {
    EXPECT_EQ(process->Health(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
}

INSTANTIATE_TEST_SUITE_P(AllServices, FuzzTest, ::testing::ValuesIn(AllServices()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dermaflow::e2e
