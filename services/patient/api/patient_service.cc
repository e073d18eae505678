#include "services/patient/api/patient_service.h"

#include "common/auth/handle_rpc.h"
#include "common/status/macros.h"

namespace dermaflow::patient {

template <typename Response, typename Call>
grpc::Status PatientGrpcService::Handle(grpc::ServerContext* ctx, Response* response, Call call) {
  return common::HandleRpc(ctx, authenticator_, [&](const common::Caller& caller) -> absl::Status {
    DF_ASSIGN_OR_RETURN(*response, call(caller));
    return absl::OkStatus();
  });
}

grpc::Status PatientGrpcService::CreatePatient(grpc::ServerContext* ctx,
                                               const v1::CreatePatientRequest* request,
                                               v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Create(caller, *request); });
}

grpc::Status PatientGrpcService::GetPatient(grpc::ServerContext* ctx,
                                            const v1::GetPatientRequest* request,
                                            v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Get(caller, *request); });
}

grpc::Status PatientGrpcService::UpdatePatient(grpc::ServerContext* ctx,
                                               const v1::UpdatePatientRequest* request,
                                               v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Update(caller, *request); });
}

grpc::Status PatientGrpcService::ListPatients(grpc::ServerContext* ctx,
                                              const v1::ListPatientsRequest* request,
                                              v1::ListPatientsResponse* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.List(caller, *request); });
}

grpc::Status PatientGrpcService::DeletePatient(grpc::ServerContext* ctx,
                                               const v1::DeletePatientRequest* request,
                                               google::protobuf::Empty* response) {
  return common::HandleRpc(ctx, authenticator_, [&](const common::Caller& caller) {
    return manager_.Delete(caller, *request);
  });
}

grpc::Status PatientGrpcService::ExportPatient(grpc::ServerContext* ctx,
                                               const v1::ExportPatientRequest* request,
                                               v1::ExportPatientResponse* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Export(caller, *request); });
}

grpc::Status PatientGrpcService::SetConsent(grpc::ServerContext* ctx,
                                            const v1::SetConsentRequest* request,
                                            v1::Patient* response) {
  return Handle(ctx, response, [&](const common::Caller& caller) {
    return manager_.SetConsent(caller, *request);
  });
}

grpc::Status PatientGrpcService::ListAuditEntries(grpc::ServerContext* ctx,
                                                  const v1::ListAuditEntriesRequest* request,
                                                  v1::ListAuditEntriesResponse* response) {
  return Handle(ctx, response, [&](const common::Caller& caller) {
    return manager_.ListAuditEntries(caller, *request);
  });
}

}  // namespace dermaflow::patient
