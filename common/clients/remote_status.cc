#include "common/clients/remote_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "common/status/grpc_status.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::common {

absl::Status FromRemoteStatus(const grpc::Status& grpc_status, std::string_view resource_type,
                              std::string_view resource_name) {
  constexpr char kResourceInfo[] = "type.googleapis.com/google.rpc.ResourceInfo";
  absl::Status status = FromGrpcStatus(grpc_status);
  if (!absl::IsNotFound(status) || status.GetPayload(kResourceInfo).has_value()) return status;
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  status.SetPayload(kResourceInfo, absl::Cord(info.SerializeAsString()));
  return status;
}

}  // namespace dermaflow::common
