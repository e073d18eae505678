#include "common/auth/token_forwarding.h"

#include "gmock/gmock.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "grpcpp/test/server_context_test_spouse.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ForwardAuthTest, CopiesOnlyTheAuthorization) {
  grpc::ServerContext in;
  grpc::testing::ServerContextTestSpouse spouse(&in);
  spouse.AddClientMetadata("authorization", "Bearer abc.def.ghi");
  spouse.AddClientMetadata("x-request-id", "r-1");
  grpc::ClientContext out;
  ForwardAuth(in, &out);
  grpc::testing::ClientContextTestPeer peer(&out);
  EXPECT_THAT(peer.GetSendInitialMetadata(),
              UnorderedElementsAre(Pair("authorization", "Bearer abc.def.ghi")));
}

TEST(ForwardAuthTest, AddsNothingWithoutAuthorization) {
  grpc::ServerContext in;
  grpc::ClientContext out;
  ForwardAuth(in, &out);
  grpc::testing::ClientContextTestPeer peer(&out);
  EXPECT_TRUE(peer.GetSendInitialMetadata().empty());
}

}  // namespace
}  // namespace dermaflow::common
