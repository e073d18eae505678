#include "common/clients/retry_policy.h"

#include "grpc/grpc.h"

namespace dermaflow::common {

const std::string& RetryServiceConfigJson() {
  // Reads only: repeating them is safe. Writes are not listed, so gRPC
  // retries them only transparently (when the server never saw them).
  static const std::string* const kJson = new std::string(R"json({
  "methodConfig": [{
    "name": [
      {"service": "dermaflow.patient.v1.PatientService", "method": "GetPatient"},
      {"service": "dermaflow.protocol.v1.ProtocolService", "method": "GetProtocol"},
      {"service": "dermaflow.protocol.v1.ProtocolService", "method": "ScreenEligibility"}
    ],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.05s",
      "maxBackoff": "0.5s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json");
  return *kJson;
}

grpc::ChannelArguments RetryingChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetServiceConfigJSON(RetryServiceConfigJson());
  return args;
}

}  // namespace dermaflow::common
