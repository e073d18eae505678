// Screening results applied to a booking: absolute contraindications refuse,
// relative ones need a complete override, which is recorded.
#include "services/scheduling/domain/screening.h"

#include <string>

#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

using protocol::v1::ScreenEligibilityResponse;

ScreenEligibilityResponse With(protocol::v1::ContraindicationCode code, bool blocking) {
  ScreenEligibilityResponse r;
  auto* f = blocking ? r.add_blocking_reasons() : r.add_warnings();
  f->set_code(code);
  f->set_message("finding");
  r.set_eligible(!blocking);
  r.set_requires_override(!blocking);
  return r;
}

google::rpc::PreconditionFailure Violations(const absl::Status& status) {
  google::rpc::PreconditionFailure detail;
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.PreconditionFailure");
  if (payload) detail.ParseFromString(std::string(*payload));
  return detail;
}

TEST(ScreeningTest, EligibleWithoutWarningsIgnoresAnOverride) {
  v1::Override o;
  EXPECT_TRUE(CheckScreening(ScreenEligibilityResponse(), &o, "override").ok());
  EXPECT_FALSE(NeedsOverride(ScreenEligibilityResponse()));
}

TEST(ScreeningTest, EveryBlockingReasonIsAViolationNamedByItsCode) {
  auto r = With(protocol::v1::CONTRAINDICATION_CODE_PREGNANCY, true);
  r.add_blocking_reasons()->set_code(protocol::v1::CONTRAINDICATION_CODE_DIABETES);
  v1::Override o;
  o.set_reason("the practitioner insists");
  absl::Status s = CheckScreening(r, &o, "override");
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  auto v = Violations(s);
  ASSERT_EQ(v.violations_size(), 2);
  EXPECT_EQ(v.violations(0).type(), "CONTRAINDICATION");
  EXPECT_EQ(v.violations(0).subject(), "contraindication/CONTRAINDICATION_CODE_PREGNANCY");
  EXPECT_EQ(v.violations(1).subject(), "contraindication/CONTRAINDICATION_CODE_DIABETES");
  EXPECT_TRUE(IsContraindicationRefusal(s));
  // The whole screening result rides along for the front end.
  auto payload =
      s.GetPayload("type.googleapis.com/dermaflow.protocol.v1.ScreenEligibilityResponse");
  ASSERT_TRUE(payload.has_value());
  ScreenEligibilityResponse echoed;
  ASSERT_TRUE(echoed.ParseFromString(std::string(*payload)));
  EXPECT_EQ(echoed.blocking_reasons_size(), 2);
}

TEST(ScreeningTest, WarningsNeedACompleteOverride) {
  auto r = With(protocol::v1::CONTRAINDICATION_CODE_ANTICOAGULANTS, false);
  absl::Status none = CheckScreening(r, nullptr, "override");
  EXPECT_EQ(Violations(none).violations(0).type(), "OVERRIDE_REQUIRED");

  v1::Override o;
  o.set_reason("short");
  EXPECT_EQ(common::ViolatedFields(CheckScreening(r, &o, "override")),
            std::vector<std::string>{"override.reason"});
  o.set_reason("anticoagulant paused for 5 days, agreed with GP");
  absl::Status incomplete = CheckScreening(r, &o, "override");
  EXPECT_EQ(Violations(incomplete).violations(0).type(), "OVERRIDE_INCOMPLETE");
  EXPECT_EQ(Violations(incomplete).violations(0).subject(),
            "contraindication/CONTRAINDICATION_CODE_ANTICOAGULANTS");
  o.add_acknowledged_codes(protocol::v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);
  EXPECT_TRUE(CheckScreening(r, &o, "override").ok());
  EXPECT_TRUE(NeedsOverride(r));

  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  v1::Override stored = RecordOverride(o, r, "pr_weber", now);
  EXPECT_EQ(stored.practitioner_id(), "pr_weber");
  EXPECT_EQ(ToTime(stored.override_time()), now);
  EXPECT_EQ(stored.reason(), o.reason());
  ASSERT_EQ(stored.findings_size(), 1);
  EXPECT_EQ(stored.findings(0).code(), protocol::v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);
}

}  // namespace
}  // namespace dermaflow::scheduling
