#include "absl/strings/str_cat.h"
#include "common/status/bounded_text.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(FieldViolationsTest, OkWhenEmpty) { EXPECT_TRUE(FieldViolations().ToStatus().ok()); }

TEST(FieldViolationsTest, NamesEveryFieldInMessageAndDetails) {
  FieldViolations v;
  v.Add("given_name", "must not be empty");
  v.Add("contact.email", "is not an e-mail address");
  absl::Status s = v.ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("contact.email"), std::string_view::npos);
  EXPECT_EQ(ViolatedFields(s), (std::vector<std::string>{"given_name", "contact.email"}));
}

TEST(GrpcStatusTest, CarriesBadRequestDetailsAcrossTheEdge) {
  grpc::Status g = ToGrpcStatus(InvalidArgumentError("birth_date", "is in the future"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad));
  EXPECT_EQ(bad.field_violations(0).field(), "birth_date");

  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(back), std::vector<std::string>{"birth_date"});
}

TEST(GrpcStatusTest, PreconditionFailureDetails) {
  grpc::Status g = ToGrpcStatus(FailedPreconditionError(
      "contraindicated", {{"CONTRAINDICATION", "PREGNANCY", "pregnant patients must not"}}));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  google::rpc::PreconditionFailure pf;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&pf));
  EXPECT_EQ(pf.violations(0).subject(), "PREGNANCY");
}

TEST(ErrorInfoTest, ReasonAndMetadataSurviveTheEdge) {
  absl::Status s = WithErrorInfo(absl::AbortedError("stale"), "ETAG_MISMATCH", "dermaflow.test.v1",
                                 {{"current_etag", "v3"}});
  absl::Status back = FromGrpcStatus(ToGrpcStatus(s));
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(back);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->domain(), "dermaflow.test.v1");
  EXPECT_EQ(info->metadata().at("current_etag"), "v3");
  EXPECT_EQ(ErrorInfoReason(back), "ETAG_MISMATCH");
  EXPECT_EQ(ErrorInfoReason(absl::InternalError("x")), "");
}

TEST(GrpcStatusTest, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

absl::StatusOr<int> Half(int x) {
  if (x % 2) return absl::InvalidArgumentError("odd");
  return x / 2;
}
absl::StatusOr<int> Quarter(int x) {
  DF_ASSIGN_OR_RETURN(int half, Half(x));
  DF_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(MacrosTest, AssignOrReturnPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
}

// A 1 MB id or 600 duplicate elements must not make a 1 MB error: past
// ~64 KiB of trailers the client never sees the status (issue 16).
TEST(BoundedErrorsTest, HugeCallerInputStaysOutOfTheError) {
  const std::string huge_id(1 << 20, 'x');
  FieldViolations v;
  for (int i = 0; i < 600; ++i) v.Add(huge_id, absl::StrCat("duplicate of ", huge_id));
  grpc::Status g = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(g.error_message().size(), kMaxErrorMessageBytes + 32);
  EXPECT_LT(g.error_details().size(), size_t{16} * 1024);
  EXPECT_NE(g.error_message().find("(1048576 bytes)"), std::string::npos) << g.error_message();
  EXPECT_EQ(ViolatedFields(FromGrpcStatus(g)).size(), kMaxErrorViolations);

  FieldViolations few;
  for (int i = 0; i < 25; ++i) few.Add("consents", "duplicate");
  EXPECT_NE(few.ToStatus().message().find("and 5 more"), std::string_view::npos);
}

TEST(BoundedErrorsTest, ResourceAndPreconditionErrorsBoundTheirText) {
  const std::string huge(70 * 1024, 'y');
  grpc::Status g = ToGrpcStatus(ResourceError(absl::StatusCode::kNotFound, huge, "patient", huge));
  EXPECT_LE(g.error_message().size(), kMaxErrorMessageBytes + 32);
  EXPECT_LT(g.error_details().size(), size_t{4} * 1024);  // the message (2 KiB) + ResourceInfo

  std::vector<PreconditionViolation> many(100, {"CONTRAINDICATION", huge, huge});
  grpc::Status p = ToGrpcStatus(FailedPreconditionError(huge, many));
  EXPECT_LT(p.error_details().size(), size_t{16} * 1024);
  EXPECT_NE(FailedPreconditionError("refused", many).message().find("and 80 more"),
            std::string_view::npos);
}

TEST(BoundedErrorsTest, HandMadeMessagesAreBoundedAtTheEdge) {
  grpc::Status g = ToGrpcStatus(absl::InvalidArgumentError(std::string(100000, 'z')));
  EXPECT_LE(g.error_message().size(), kMaxErrorMessageBytes + 32);
}

TEST(BoundedTextTest, CutsOnACharacterBoundaryAndSaysTheSize) {
  EXPECT_EQ(BoundedText("short"), "short");
  // "ä" is two bytes: a cut at 3 would split the second one.
  EXPECT_EQ(BoundedText("äää", 3), "ä…(6 bytes)");
}

}  // namespace
}  // namespace dermaflow::common
