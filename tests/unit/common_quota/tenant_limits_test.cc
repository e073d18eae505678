#include "common/quota/tenant_limits.h"

#include <cmath>
#include <limits>
#include <string>

#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;

constexpr char kList[] = "/dermaflow.test.v1.TestService/ListThings";
constexpr char kGet[] = "/dermaflow.test.v1.TestService/GetThing";

Caller Person(const std::string& org) { return Caller{.organization = org, .subject = "u1"}; }

template <typename Detail>
Detail DetailOf(const absl::Status& status) {
  Detail detail;
  auto payload =
      status.GetPayload("type.googleapis.com/" + std::string(Detail::descriptor()->full_name()));
  if (payload) detail.ParseFromString(std::string(*payload));
  return detail;
}

// dermaflow_org_limit_refusals_total{limit, grpc_method}; -1 when absent.
// Fails the test if a series carries any other label.
double Refusals(prometheus::Registry& registry, const std::string& limit,
                const std::string& method) {
  double value = -1;
  for (const auto& family : registry.Collect()) {
    if (family.name != "dermaflow_org_limit_refusals_total") continue;
    for (const auto& metric : family.metric) {
      std::string got_limit, got_method;
      for (const auto& label : metric.label) {
        if (label.name == "limit") {
          got_limit = label.value;
        } else if (label.name == "grpc_method") {
          got_method = label.value;
        } else {
          ADD_FAILURE() << "unexpected label " << label.name;
        }
      }
      if (got_limit == limit && got_method == method) value = metric.counter.value;
    }
  }
  return value;
}

class TenantLimitsTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  prometheus::Registry registry_;
};

TEST_F(TenantLimitsTest, RefusesAnOrganizationOverItsRateAndNotTheOthers) {
  TenantLimits limits({.request_rate = 1, .request_burst = 2}, clock_, registry_);
  EXPECT_TRUE(limits.Admit(Person("org-a"), kGet).ok());
  EXPECT_TRUE(limits.Admit(Person("org-a"), kGet).ok());
  absl::StatusOr<OrgInFlightLimiter::Slot> refused = limits.Admit(Person("org-a"), kGet);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(limits.Admit(Person("org-b"), kGet).ok());

  const auto quota = DetailOf<google::rpc::QuotaFailure>(refused.status());
  ASSERT_EQ(quota.violations_size(), 1);
  EXPECT_EQ(quota.violations(0).subject(), "organization:org-a");
  EXPECT_THAT(quota.violations(0).description(), HasSubstr("--org_request_rate"));
  EXPECT_THAT(quota.violations(0).description(), HasSubstr("retry after 1s"));
  const auto retry = DetailOf<google::rpc::RetryInfo>(refused.status());
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(Refusals(registry_, "org_request_rate", "GetThing"), 1);

  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(limits.Admit(Person("org-a"), kGet).ok());
}

TEST_F(TenantLimitsTest, CapsExpensiveCallsInFlightPerOrganization) {
  TenantLimits limits({.expensive_in_flight = 1, .expensive_methods = {kList}}, clock_, registry_);
  absl::StatusOr<OrgInFlightLimiter::Slot> running = limits.Admit(Person("org-a"), kList);
  ASSERT_TRUE(running.ok());
  EXPECT_TRUE(running->held());

  absl::StatusOr<OrgInFlightLimiter::Slot> refused = limits.Admit(Person("org-a"), kList);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  const auto quota = DetailOf<google::rpc::QuotaFailure>(refused.status());
  ASSERT_EQ(quota.violations_size(), 1);
  EXPECT_EQ(quota.violations(0).subject(), "organization:org-a");
  EXPECT_THAT(quota.violations(0).description(), HasSubstr("--org_expensive_in_flight"));
  EXPECT_EQ(Refusals(registry_, "org_expensive_in_flight", "ListThings"), 1);

  // Cheap calls and other organizations are not held back.
  absl::StatusOr<OrgInFlightLimiter::Slot> cheap = limits.Admit(Person("org-a"), kGet);
  ASSERT_TRUE(cheap.ok());
  EXPECT_FALSE(cheap->held());
  EXPECT_TRUE(limits.Admit(Person("org-b"), kList).ok());

  running->Release();
  EXPECT_TRUE(limits.Admit(Person("org-a"), kList).ok());
}

TEST_F(TenantLimitsTest, LeavesOurOwnServicesCallsAlone) {
  TenantLimits limits({.request_rate = 1,
                       .request_burst = 1,
                       .expensive_in_flight = 1,
                       .expensive_methods = {kList}},
                      clock_, registry_);
  Caller notification{
      .organization = "org-a", .subject = "notification", .service = "notification"};
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<OrgInFlightLimiter::Slot> slot = limits.Admit(notification, kList);
    ASSERT_TRUE(slot.ok());
    EXPECT_FALSE(slot->held());
  }
  // A person's token forwarded by a service is the person's call: limited.
  Caller forwarded = Person("org-a");
  forwarded.via_service = "scheduling";
  EXPECT_TRUE(limits.Admit(forwarded, kGet).ok());
  EXPECT_FALSE(limits.Admit(forwarded, kGet).ok());
}

TEST_F(TenantLimitsTest, ZeroTurnsEachLimitOff) {
  TenantLimits limits({.expensive_methods = {kList}}, clock_, registry_);
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<OrgInFlightLimiter::Slot> slot = limits.Admit(Person("org-a"), kList);
    ASSERT_TRUE(slot.ok());
    EXPECT_FALSE(slot->held());
  }
  EXPECT_EQ(Refusals(registry_, "org_request_rate", "ListThings"), -1);
}

TEST(TenantLimitOptionsTest, NamesTheFlagOfAValueOutOfRange) {
  EXPECT_TRUE(ValidateTenantLimitOptions({}).ok());
  EXPECT_TRUE(ValidateTenantLimitOptions({.request_rate = 0.5, .request_burst = 1}).ok());
  EXPECT_THAT(ValidateTenantLimitOptions({.request_rate = -1}).message(),
              HasSubstr("--org_request_rate"));
  EXPECT_THAT(ValidateTenantLimitOptions({.request_rate = std::nan("")}).message(),
              HasSubstr("--org_request_rate"));
  EXPECT_THAT(ValidateTenantLimitOptions({.request_rate = 10, .request_burst = 0.5}).message(),
              HasSubstr("--org_request_burst"));
  EXPECT_THAT(ValidateTenantLimitOptions(
                  {.request_rate = 10, .request_burst = std::numeric_limits<double>::infinity()})
                  .message(),
              HasSubstr("--org_request_burst"));
  EXPECT_THAT(ValidateTenantLimitOptions({.expensive_in_flight = -1}).message(),
              HasSubstr("--org_expensive_in_flight"));
}

}  // namespace
}  // namespace dermaflow::common
