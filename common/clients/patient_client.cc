#include "common/clients/patient_client.h"

#include "common/clients/remote_status.h"
#include "common/clients/unary_call.h"

namespace dermaflow::common {

GrpcPatientClient::GrpcPatientClient(std::shared_ptr<grpc::Channel> channel, ClientOptions options)
    : stub_(patient::v1::PatientService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<patient::v1::Patient> GrpcPatientClient::GetPatient(const CallOrigin& origin,
                                                                   const std::string& id,
                                                                   patient::v1::PatientView view) {
  patient::v1::GetPatientRequest request;
  request.set_id(id);
  request.set_view(view);
  return UnaryCall<patient::v1::Patient>(
      origin, options_, kPatientResourceType, id,
      [&](grpc::ClientContext* context, patient::v1::Patient* patient) {
        return stub_->GetPatient(context, request, patient);
      });
}

}  // namespace dermaflow::common
