#include "common/clients/patient_client.h"

#include "common/clients/remote_status.h"
#include "common/status/macros.h"

namespace dermaflow::common {

GrpcPatientClient::GrpcPatientClient(std::shared_ptr<grpc::Channel> channel, ClientOptions options)
    : stub_(patient::v1::PatientService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<patient::v1::Patient> GrpcPatientClient::GetPatient(const CallOrigin& origin,
                                                                   const std::string& id,
                                                                   patient::v1::PatientView view) {
  grpc::ClientContext context;
  DF_RETURN_IF_ERROR(origin.Prepare(options_, &context));
  patient::v1::GetPatientRequest request;
  request.set_id(id);
  request.set_view(view);
  patient::v1::Patient patient;
  DF_RETURN_IF_ERROR(FromRemoteStatus(stub_->GetPatient(&context, request, &patient),
                                      kPatientResourceType, id));
  return patient;
}

}  // namespace dermaflow::common
