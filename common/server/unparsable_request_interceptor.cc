#include "common/server/unparsable_request_interceptor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/interceptor.h"
#include "grpcpp/support/status.h"

namespace dermaflow::common {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr char kReason[] = "invalid UTF-8 in a string field or malformed bytes";

// What gRPC 1.51 answers for a body that did not parse: the sync handlers
// INTERNAL, the callback-API handlers UNIMPLEMENTED "" (no reactor is made).
bool IsGrpcParseFailure(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNIMPLEMENTED;
}

class UnparsableRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit UnparsableRequestInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // gRPC passes a null message when the body did not deserialize.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsable_ = true;
    }
    if (unparsable_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        IsGrpcParseFailure(methods->GetSendStatus().error_code())) {
      methods->ModifySendStatus(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, UnparsableRequestMessage(method_)));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  bool unparsable_ = false;
};

class UnparsableRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    // Client and bidi streams read their messages in the handler, where a
    // null message also means the end of the stream: not ours to judge.
    if (info->type() != ServerRpcInfo::Type::UNARY &&
        info->type() != ServerRpcInfo::Type::SERVER_STREAMING) {
      return nullptr;
    }
    return new UnparsableRequestInterceptor(info->method() ? info->method() : "");
  }
};

}  // namespace

std::string UnparsableRequestMessage(const std::string& method_path) {
  // "/pkg.Service/Method" -> "pkg.Service.Method", the descriptor's name.
  std::string full_name = method_path.empty() ? "" : method_path.substr(1);
  const size_t slash = full_name.rfind('/');
  if (slash != std::string::npos) full_name[slash] = '.';
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (method == nullptr) return absl::StrCat("request body is not a valid request: ", kReason);
  return absl::StrCat("request body is not a valid ", method->input_type()->full_name(), ": ",
                      kReason);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsableRequestInterceptorFactory() {
  return std::make_unique<UnparsableRequestInterceptorFactory>();
}

}  // namespace dermaflow::common
