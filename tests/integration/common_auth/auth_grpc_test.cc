// Authentication through a real gRPC server on loopback: keys from
// scripts/gen-dev-keys.sh, tokens from MintJwt, handlers through HandleRpc,
// and a second server reached with ForwardAuth.
#include <memory>
#include <string>

#include "common/auth/authenticator.h"
#include "common/auth/handle_rpc.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/key_files.h"
#include "common/auth/token_forwarding.h"
#include "common/status/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"

namespace dermaflow::common {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kCallerOrgKey[] = "x-caller-org";

// Answers Check for the authenticated caller and names its organization in
// the initial metadata. Check("forward") asks `downstream` on the caller's
// behalf; Check("forward-without-auth") forgets to forward the token.
class AuthenticatedHealth : public Health::Service {
 public:
  AuthenticatedHealth(const Authenticator& auth, Health::Stub* downstream)
      : auth_(auth), downstream_(downstream) {}

  grpc::Status Check(grpc::ServerContext* ctx, const HealthCheckRequest* req,
                     HealthCheckResponse* resp) override {
    return HandleRpc(ctx, auth_, *req, [&](const Caller& caller) -> absl::Status {
      ctx->AddInitialMetadata(kCallerOrgKey, caller.organization);
      if (req->service() == "forward" || req->service() == "forward-without-auth") {
        grpc::ClientContext out;
        if (req->service() == "forward") ForwardAuth(*ctx, &out);
        HealthCheckResponse downstream_resp;
        absl::Status status =
            FromGrpcStatus(downstream_->Check(&out, HealthCheckRequest(), &downstream_resp));
        if (!status.ok()) return status;
        auto org = out.GetServerInitialMetadata().find(kCallerOrgKey);
        if (org == out.GetServerInitialMetadata().end() || org->second != caller.organization) {
          return absl::InternalError("downstream saw another caller");
        }
      }
      resp->set_status(HealthCheckResponse::SERVING);
      return absl::OkStatus();
    });
  }

 private:
  const Authenticator& auth_;
  Health::Stub* downstream_;
};

struct TestServer {
  TestServer(const Authenticator& auth, Health::Stub* downstream) : service(auth, downstream) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  ~TestServer() { server->Shutdown(); }

  std::unique_ptr<Health::Stub> Stub() const {
    return Health::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                               grpc::InsecureChannelCredentials()));
  }

  AuthenticatedHealth service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

class AuthGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dermaflow::testing::ChildProcess gen(
        {"/bin/bash", DERMAFLOW_SOURCE_DIR "/scripts/gen-dev-keys.sh", keys_.path()},
        keys_.path() + "/gen.log");
    ASSERT_EQ(gen.Wait(), 0) << gen.ReadLog();
    hs256_secret_ = *ReadHs256SecretFile(keys_.path() + "/jwt_hs256.key");
    rs256_private_ = *ReadPemFile(keys_.path() + "/jwt_rs256_private.pem");

    auto auth = MakeAuthenticator({.mode = "jwt",
                                   .hs256_key_file = keys_.path() + "/jwt_hs256.key",
                                   .rs256_public_key_file = keys_.path() + "/jwt_rs256_public.pem",
                                   .audience = "dermaflow"});
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
    backend_ = std::make_unique<TestServer>(*auth_, nullptr);
    ASSERT_NE(backend_->server, nullptr);
    backend_stub_ = backend_->Stub();
    frontend_ = std::make_unique<TestServer>(*auth_, backend_stub_.get());
    ASSERT_NE(frontend_->server, nullptr);
    stub_ = frontend_->Stub();
  }

  std::string Token(JwtAlgorithm alg, absl::Duration expires_in = absl::Hours(1)) const {
    JwtClaims claims{.organization = "clinic-a",
                     .subject = "reception-1",
                     .roles = {"reception"},
                     .audience = "dermaflow",
                     .expires_at = absl::Now() + expires_in};
    absl::StatusOr<std::string> token =
        MintJwt(claims, alg, alg == JwtAlgorithm::kHs256 ? hs256_secret_ : rs256_private_);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // Calls the frontend's Check(service) with `token` (none when empty).
  grpc::Status Call(const std::string& token, const std::string& service = "",
                    std::string* caller_org = nullptr) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    HealthCheckRequest req;
    req.set_service(service);
    HealthCheckResponse resp;
    grpc::Status status = stub_->Check(&ctx, req, &resp);
    auto org = ctx.GetServerInitialMetadata().find(kCallerOrgKey);
    if (caller_org && org != ctx.GetServerInitialMetadata().end()) {
      *caller_org = std::string(org->second.data(), org->second.size());
    }
    return status;
  }

  dermaflow::testing::TempDir keys_;
  std::string hs256_secret_;
  std::string rs256_private_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<TestServer> backend_;
  std::unique_ptr<Health::Stub> backend_stub_;
  std::unique_ptr<TestServer> frontend_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(AuthGrpcTest, CallWithoutTokenIsUnauthenticated) {
  grpc::Status status = Call("");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "missing authorization metadata");
}

TEST_F(AuthGrpcTest, CallWithHs256TokenSeesTheCallersOrganization) {
  std::string org;
  grpc::Status status = Call(Token(JwtAlgorithm::kHs256), "", &org);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(org, "clinic-a");
}

TEST_F(AuthGrpcTest, CallWithRs256TokenSeesTheCallersOrganization) {
  std::string org;
  grpc::Status status = Call(Token(JwtAlgorithm::kRs256), "", &org);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(org, "clinic-a");
}

TEST_F(AuthGrpcTest, ExpiredTokenIsUnauthenticatedAndNotEchoed) {
  std::string token = Token(JwtAlgorithm::kHs256, -absl::Hours(1));
  grpc::Status status = Call(token);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "token has expired");
}

TEST_F(AuthGrpcTest, GarbageTokenIsUnauthenticated) {
  EXPECT_EQ(Call("not-a-jwt").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthGrpcTest, ForwardedCallCarriesTheCallersToken) {
  grpc::Status status = Call(Token(JwtAlgorithm::kRs256), "forward");
  EXPECT_TRUE(status.ok()) << status.error_message();
  // Without ForwardAuth the next service refuses the call.
  status = Call(Token(JwtAlgorithm::kRs256), "forward-without-auth");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST(AuthGrpcNoAuthTest, EveryCallIsTheDevOrganization) {
  auto auth = MakeAuthenticator({.mode = "none", .dev_organization = "demo"});
  ASSERT_TRUE(auth.ok());
  TestServer server(**auth, nullptr);
  ASSERT_NE(server.server, nullptr);
  grpc::ClientContext ctx;
  HealthCheckResponse resp;
  grpc::Status status = server.Stub()->Check(&ctx, HealthCheckRequest(), &resp);
  EXPECT_TRUE(status.ok()) << status.error_message();
  auto org = ctx.GetServerInitialMetadata().find(kCallerOrgKey);
  ASSERT_NE(org, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(org->second.data(), org->second.size()), "demo");
}

}  // namespace
}  // namespace dermaflow::common
