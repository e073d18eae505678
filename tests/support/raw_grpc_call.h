// One gRPC call with a raw request body (grpc::GenericStub), for tests that
// send what no generated stub would: bytes protobuf cannot parse, requests
// built by reflection. Unary and server-streaming methods alike: the call
// ends at the first response message or the status, whichever comes first.
//
//   RawAnswer a = CallRaw(channel, "/dermaflow.patient.v1.PatientService/GetPatient", body,
//                         "Bearer " + token);
//   EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace dermaflow::testing {

struct RawAnswer {
  grpc::Status status;
  std::chrono::microseconds elapsed;
};

// Sends `body` as the request of `method` ("/pkg.Service/Method"), with
// `authorization` metadata when it is not empty.
RawAnswer CallRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                  const std::string& body, const std::string& authorization = "",
                  std::chrono::milliseconds deadline = std::chrono::seconds(5));

}  // namespace dermaflow::testing
