// Every string field of every request of every service, sent to the four real
// binaries with a value past any limit (4,001 characters), an id of the wrong
// shape or a path as a time zone, and every repeated field with one element
// too many (501): each is answered INVALID_ARGUMENT within 100 ms with a BadRequest
// naming exactly that field (common/api/field_limits.h), before any store is
// touched. The table of what was probed is printed per service.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/field_limits.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gtest/gtest.h"
#include "tests/e2e/hardening/hardening_env.h"
#include "tests/e2e/hardening/request_shapes.h"

namespace dermaflow::e2e {
namespace {

using google::protobuf::MethodDescriptor;

struct Probe {
  std::string what;   // "4001 characters"
  std::string field;  // the field BadRequest must name
  std::string body;
};

std::vector<Probe> ProbesOf(const MethodDescriptor& method) {
  const google::protobuf::Descriptor& request = *method.input_type();
  std::vector<Probe> probes;
  for (const FieldPath& f : StringFields(request)) {
    probes.push_back({"4001 characters", f.name,
                      WithString(request, f, std::string(4001, 'x'))->SerializeAsString()});
    // Which fields are ids comes from the layer's own table; the 4001-character
    // probe above holds every field to a limit whatever the table says.
    if (common::LimitFor(f.field()).shape == common::FieldShape::kIdentifier) {
      probes.push_back(
          {"id 'a b{x}'", f.name, WithString(request, f, "a b{x}")->SerializeAsString()});
      probes.push_back(
          {"id of 65", f.name, WithString(request, f, std::string(65, 'a'))->SerializeAsString()});
    }
    if (f.field().name() == "time_zone") {
      for (const std::string zone :
           {"/etc/localtime", "../../../../usr/share/zoneinfo/UTC", "posixrules"}) {
        probes.push_back(
            {"zone " + zone, f.name, WithString(request, f, zone)->SerializeAsString()});
      }
    }
  }
  for (const FieldPath& f : RepeatedFields(request)) {
    probes.push_back({"501 elements", f.name, WithCount(request, f, 501)->SerializeAsString()});
  }
  return probes;
}

class RequestLimitsTest : public ::testing::TestWithParam<ServiceUnderTest> {};

TEST_P(RequestLimitsTest, EveryFieldOutOfItsLimitsIsNamedFast) {
  const ServiceUnderTest& service = GetParam();
  int probed = 0;
  std::vector<std::string> failures;
  for (int m = 0; m < service.descriptor->method_count(); ++m) {
    const MethodDescriptor& method = *service.descriptor->method(m);
    for (const Probe& probe : ProbesOf(method)) {
      ++probed;
      testing::RawAnswer a = CallAsStaff(service, method, probe.body);
      const absl::Status status = common::FromGrpcStatus(a.status);
      const std::vector<std::string> fields = common::ViolatedFields(status);
      if (status.code() != absl::StatusCode::kInvalidArgument ||
          fields != std::vector<std::string>{probe.field} || a.elapsed > kSlowAnswer) {
        failures.push_back(absl::StrCat(method.name(), " ", probe.field, " (", probe.what,
                                        "): ", status.ToString().substr(0, 200), " in ",
                                        a.elapsed.count(), " us"));
      }
    }
  }
  std::cout << service.name << ": " << service.descriptor->method_count() << " RPCs, " << probed
            << " probes, " << probed - failures.size() << " held\n";
  EXPECT_GT(probed, service.descriptor->method_count());
  EXPECT_TRUE(failures.empty()) << failures.size() << " did not hold:\n"
                                << absl::StrJoin(failures, "\n");
}

INSTANTIATE_TEST_SUITE_P(AllServices, RequestLimitsTest, ::testing::ValuesIn(AllServices()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace dermaflow::e2e
