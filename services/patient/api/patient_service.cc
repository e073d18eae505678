#include "services/patient/api/patient_service.h"

#include "common/auth/handle_rpc.h"
#include "common/status/macros.h"

namespace dermaflow::patient {

template <typename Response, typename Call>
grpc::ServerUnaryReactor* PatientGrpcService::Handle(grpc::CallbackServerContext* ctx,
                                                     Response* response, Call call) {
  return common::HandleUnaryRpc(ctx, authenticator_,
                                [&](const common::Caller& caller) -> absl::Status {
                                  DF_ASSIGN_OR_RETURN(*response, call(caller));
                                  return absl::OkStatus();
                                });
}

grpc::ServerUnaryReactor* PatientGrpcService::CreatePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::CreatePatientRequest* request,
                                                            v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Create(caller, *request); });
}

grpc::ServerUnaryReactor* PatientGrpcService::GetPatient(grpc::CallbackServerContext* ctx,
                                                         const v1::GetPatientRequest* request,
                                                         v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Get(caller, *request); });
}

grpc::ServerUnaryReactor* PatientGrpcService::UpdatePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdatePatientRequest* request,
                                                            v1::Patient* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Update(caller, *request); });
}

grpc::ServerUnaryReactor* PatientGrpcService::ListPatients(grpc::CallbackServerContext* ctx,
                                                           const v1::ListPatientsRequest* request,
                                                           v1::ListPatientsResponse* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.List(caller, *request); });
}

grpc::ServerUnaryReactor* PatientGrpcService::DeletePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::DeletePatientRequest* request,
                                                            google::protobuf::Empty* response) {
  return common::HandleUnaryRpc(ctx, authenticator_, [&](const common::Caller& caller) {
    return manager_.Delete(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::ExportPatient(grpc::CallbackServerContext* ctx,
                                                            const v1::ExportPatientRequest* request,
                                                            v1::ExportPatientResponse* response) {
  return Handle(ctx, response,
                [&](const common::Caller& caller) { return manager_.Export(caller, *request); });
}

grpc::ServerUnaryReactor* PatientGrpcService::SetConsent(grpc::CallbackServerContext* ctx,
                                                         const v1::SetConsentRequest* request,
                                                         v1::Patient* response) {
  return Handle(ctx, response, [&](const common::Caller& caller) {
    return manager_.SetConsent(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return Handle(ctx, response, [&](const common::Caller& caller) {
    return manager_.ListAuditEntries(caller, *request);
  });
}

}  // namespace dermaflow::patient
