#include "common/auth/handle_rpc.h"

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

class FixedAuthenticator : public Authenticator {
 public:
  explicit FixedAuthenticator(absl::StatusOr<Caller> result) : result_(std::move(result)) {}
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase&) const override {
    return result_;
  }

 private:
  absl::StatusOr<Caller> result_;
};

const google::protobuf::Empty kNoFields;

TEST(HandleRpcTest, RunsBodyWithTheCaller) {
  FixedAuthenticator auth(Caller{"clinic-a", "u1", {}});
  grpc::ServerContext ctx;
  std::string seen;
  grpc::Status status = HandleRpc(&ctx, auth, kNoFields, [&](const Caller& caller) {
    seen = caller.organization;
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(seen, "clinic-a");
}

TEST(HandleRpcTest, UnauthenticatedCallerNeverReachesTheBody) {
  FixedAuthenticator auth(absl::UnauthenticatedError("missing authorization metadata"));
  grpc::ServerContext ctx;
  bool ran = false;
  grpc::Status status = HandleRpc(&ctx, auth, kNoFields, [&](const Caller&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_FALSE(ran);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "missing authorization metadata");
}

TEST(HandleRpcTest, ConvertsTheBodysStatusWithItsDetails) {
  FixedAuthenticator auth(Caller{"clinic-a", "u1", {}});
  grpc::ServerContext ctx;
  grpc::Status status = HandleRpc(&ctx, auth, kNoFields, [&](const Caller&) {
    return InvalidArgumentError("given_name", "must not be empty");
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(status.error_details().empty());
  EXPECT_EQ(ViolatedFields(FromGrpcStatus(status)), std::vector<std::string>{"given_name"});
}

TEST(HandleRpcTest, RequestOutOfItsLimitsNeverReachesTheBody) {
  FixedAuthenticator auth(Caller{"clinic-a", "u1", {}});
  grpc::ServerContext ctx;
  google::protobuf::FieldMask too_many;
  for (int i = 0; i < 501; ++i) too_many.add_paths("notes");
  bool ran = false;
  grpc::Status status = HandleRpc(&ctx, auth, too_many, [&](const Caller&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_FALSE(ran);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(FromGrpcStatus(status)), std::vector<std::string>{"paths"});
}

TEST(HandleRpcTest, AnUnknownCallerIsToldOnlyThatItIsUnknown) {
  FixedAuthenticator auth(absl::UnauthenticatedError("missing authorization metadata"));
  grpc::ServerContext ctx;
  google::protobuf::FieldMask too_many;
  for (int i = 0; i < 501; ++i) too_many.add_paths("notes");
  grpc::Status status =
      HandleRpc(&ctx, auth, too_many, [&](const Caller&) { return absl::OkStatus(); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace dermaflow::common
