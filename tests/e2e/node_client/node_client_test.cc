// The front-end check: starts the suite (redis + the four processes, JWT on)
// and runs tests/node/booking_flow.test.mjs with `node --test`: a Node.js
// client that knows only protos/ (loaded by @grpc/proto-loader, with the
// google/* protos staged by protos/scripts/stage_google_protos.sh) books a
// session through @grpc/grpc-js.
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/e2e/support/shell.h"

namespace dermaflow::e2e {
namespace {

TEST(NodeClientTest, BookingFlowWithGrpcJsAndProtoLoader) {
  Suite suite;
  testing::TempDir dir;
  const std::string source = DERMAFLOW_SOURCE_DIR;
  const std::string third_party = dir.path() + "/third_party";
  ShellResult staged =
      RunShell({"bash", source + "/protos/scripts/stage_google_protos.sh", third_party});
  ASSERT_EQ(staged.code, 0) << staged.err;

  auto env = suite.ClientEnvironment();
  env.emplace_back("DERMAFLOW_THIRD_PARTY_PROTOS", third_party);
  ShellResult node =
      RunShell({"node", "--test", source + "/tests/node/booking_flow.test.mjs"}, env);
  EXPECT_EQ(node.code, 0) << node.out << node.err << suite.Logs();
  EXPECT_NE(node.out.find("# pass 3"), std::string::npos) << node.out;
}

}  // namespace
}  // namespace dermaflow::e2e
