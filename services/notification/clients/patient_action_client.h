// Scheduling's PatientActionService as notification uses it: an SMS reply's
// action token performed on the patient's behalf. The token is the
// credential (no service token); `x-dermaflow-via-service: notification`
// makes scheduling record the action as "patient:sms/…".
//
//   PatientActionClient actions(runtime->Connect(scheduling_addr), absl::Seconds(3));
//   absl::Status done = actions.Perform(token);
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/patient_action_service.grpc.pb.h"
#include "grpcpp/channel.h"

namespace dermaflow::notification {

class PatientActionClient {
 public:
  PatientActionClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

  // PerformAction's status, with its error details.
  absl::Status Perform(const std::string& action_token) const;

 private:
  std::unique_ptr<dermaflow::scheduling::v1::PatientActionService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace dermaflow::notification
