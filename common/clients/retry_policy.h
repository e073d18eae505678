// How calls between dermaflow services are retried: by gRPC itself, from the
// channel's service config, never by hand-written loops. Only the reads the
// clients make are retried, only on UNAVAILABLE (a restarting pod, a dropped
// connection), at most 3 attempts with exponential backoff from 50 ms; the
// call's deadline bounds all attempts. ServiceRuntime::Connect puts these
// arguments on every channel it makes (gRPC 1.51 enables retries by
// default; we set grpc.enable_retries anyway so the intent is visible).
//
//   auto channel = CreateInstrumentedChannel(address, credentials, metrics,
//                                            RetryingChannelArguments());
#pragma once

#include <string>

#include "grpcpp/support/channel_arguments.h"

namespace dermaflow::common {

// The service config JSON with the retryPolicy (tests read it to check the
// methods it names).
const std::string& RetryServiceConfigJson();

// Channel arguments carrying that service config.
grpc::ChannelArguments RetryingChannelArguments();

}  // namespace dermaflow::common
