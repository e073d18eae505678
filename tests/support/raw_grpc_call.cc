#include "tests/support/raw_grpc_call.h"

#include <future>

#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace dermaflow::testing {

RawAnswer CallRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                  const std::string& body, const std::string& authorization,
                  std::chrono::milliseconds deadline) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + deadline);
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  const auto start = std::chrono::steady_clock::now();
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  return {status, std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)};
}

}  // namespace dermaflow::testing
