// What the hardening tests share: the four real binaries (one Suite for the
// whole test program), each service's descriptor and channel, and a raw call
// that retries a slow answer before calling it slow, so a busy machine's
// hiccup is not taken for a server that hangs.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "tests/e2e/support/suite.h"
#include "tests/support/raw_grpc_call.h"

namespace dermaflow::e2e {

// No answer to a bad request may take longer (issue "Hardening").
inline constexpr std::chrono::milliseconds kSlowAnswer{100};

struct ServiceUnderTest {
  std::string name;  // "patient"
  const google::protobuf::ServiceDescriptor* descriptor;
};

// gtest names a parameter by this, not by its bytes.
inline void PrintTo(const ServiceUnderTest& s, std::ostream* os) { *os << s.name; }

// The four services of dermaflow.
std::vector<ServiceUnderTest> AllServices();

// Starts the suite on first use; its processes are stopped after the last test.
Suite& SharedSuite();

std::shared_ptr<grpc::Channel> ChannelOf(const std::string& service);

// "/dermaflow.patient.v1.PatientService/GetPatient"
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

// CallRaw with a staff token of the suite's organization; a call slower than
// kSlowAnswer is sent twice more and the fastest answer kept. A server-
// streaming call that opened (no status within `stream_wait`) answers
// DEADLINE_EXCEEDED.
testing::RawAnswer CallAsStaff(
    const ServiceUnderTest& service, const google::protobuf::MethodDescriptor& method,
    const std::string& body, std::chrono::milliseconds stream_wait = std::chrono::milliseconds(50));

}  // namespace dermaflow::e2e
