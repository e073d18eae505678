// Shared by the protocol integration tests: a JWT key file with tokens for
// any organization and roles, call contexts carrying them, and readers for
// the error details of a gRPC status.
//
//   TestKeys keys;
//   auto ctx = Context(keys.Token("clinic-a", {"clinic_admin"}));
//   grpc::Status s = stub->GetProtocol(ctx.get(), req, &resp);
//   EXPECT_EQ(ErrorReason(s), "VERSION_NOT_FOUND");
#pragma once

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/auth/jwt_minter.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "services/protocol/domain/protocol_errors.h"
#include "tests/support/process.h"

namespace dermaflow::protocol::testing {

class TestKeys {
 public:
  TestKeys() { std::ofstream(key_file()) << kSecret << "\n"; }

  // For AuthOptions::hs256_key_file and --jwt_hs256_key_file.
  std::string key_file() const { return dir_.path() + "/jwt_hs256.key"; }

  std::string Token(const std::string& org, std::vector<std::string> roles,
                    const std::string& subject = "user-1") const {
    auto token = common::MintJwt({.organization = org,
                                  .subject = subject,
                                  .roles = std::move(roles),
                                  .expires_at = absl::Now() + absl::Hours(1)},
                                 common::JwtAlgorithm::kHs256, kSecret);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

 private:
  static constexpr char kSecret[] = "0123456789abcdef0123456789abcdef0123456789abcdef";
  dermaflow::testing::TempDir dir_;
};

// A context with a 10 s deadline and `token` (none when empty).
inline std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  return ctx;
}

// BadRequest field names of a status.
inline std::vector<std::string> BadFields(const grpc::Status& status) {
  return common::ViolatedFields(common::FromGrpcStatus(status));
}

// ErrorInfo reason and one metadata entry of a status ("" when absent).
inline std::string ErrorReason(const grpc::Status& status) {
  auto info = GetErrorInfo(common::FromGrpcStatus(status));
  return info ? info->reason() : "";
}
inline std::string ErrorMetadata(const grpc::Status& status, const std::string& key) {
  auto info = GetErrorInfo(common::FromGrpcStatus(status));
  if (!info || !info->metadata().contains(key)) return "";
  return info->metadata().at(key);
}

// The ResourceInfo type a status names ("" when absent).
inline std::string ResourceType(const grpc::Status& status) {
  auto info = common::GetResourceInfo(common::FromGrpcStatus(status));
  return info ? info->resource_type() : "";
}

}  // namespace dermaflow::protocol::testing
