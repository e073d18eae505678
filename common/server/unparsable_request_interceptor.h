// Answers INVALID_ARGUMENT, not what gRPC answers, when a request body
// cannot be parsed: protobuf refuses malformed bytes and invalid UTF-8 in a
// string field, and gRPC's generated handlers then finish the call with
// INTERNAL (sync API) or UNIMPLEMENTED "" (callback API) before any handler
// (or authentication) runs. Callers and dashboards read INTERNAL as "the
// server is broken"; a bad body is the caller's fault, so the status says so
// and names the expected message type.
//
// How: gRPC hands the interceptor a null message at POST_RECV_MESSAGE when
// deserialization failed; at PRE_SEND_STATUS such a call's INTERNAL or
// UNIMPLEMENTED is replaced. Only unary and server-streaming calls (where
// gRPC itself reads the one request) are touched; a status from a handler
// that did get its request is never rewritten. Sync and callback services
// alike (tests/integration/server/unparsable_request_test.cc).
//
//   interceptors.push_back(MakeUnparsableRequestInterceptorFactory());  // first
#pragma once

#include <memory>
#include <string>

#include "grpcpp/support/server_interceptor.h"

namespace dermaflow::common {

// "request body is not a valid dermaflow.x.v1.FooRequest: invalid UTF-8 in a
// string field or malformed bytes" for "/dermaflow.x.v1.Service/Foo"; the
// message names no caller input (an unknown method gets a generic text).
std::string UnparsableRequestMessage(const std::string& method_path);

// Register it before the metrics interceptor so grpc_server_handled_total
// counts these calls as INVALID_ARGUMENT.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeUnparsableRequestInterceptorFactory();

}  // namespace dermaflow::common
