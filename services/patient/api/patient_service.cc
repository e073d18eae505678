#include "services/patient/api/patient_service.h"

#include "common/auth/handle_rpc.h"
#include "common/status/macros.h"

namespace dermaflow::patient {

// `call` runs after the handler has returned when there is an executor, so
// it captures what it needs by value (request and response live until Finish).
template <typename Response, typename Call>
grpc::ServerUnaryReactor* PatientGrpcService::Handle(grpc::CallbackServerContext* ctx,
                                                     const google::protobuf::Message& request,
                                                     Response* response, Call call) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto work = [this, ctx, &request, response, reactor, call = std::move(call)] {
    reactor->Finish(common::HandleRpc(ctx, authenticator_, request,
                                      [&](const common::Caller& caller) -> absl::Status {
                                        DF_ASSIGN_OR_RETURN(*response, call(caller));
                                        return absl::OkStatus();
                                      }));
  };
  if (executor_ == nullptr) {
    work();
  } else {
    executor_->Run(std::move(work));
  }
  return reactor;
}

grpc::ServerUnaryReactor* PatientGrpcService::CreatePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::CreatePatientRequest* request,
                                                            v1::Patient* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.Create(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::GetPatient(grpc::CallbackServerContext* ctx,
                                                         const v1::GetPatientRequest* request,
                                                         v1::Patient* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.Get(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::UpdatePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdatePatientRequest* request,
                                                            v1::Patient* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.Update(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::ListPatients(grpc::CallbackServerContext* ctx,
                                                           const v1::ListPatientsRequest* request,
                                                           v1::ListPatientsResponse* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.List(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::DeletePatient(grpc::CallbackServerContext* ctx,
                                                            const v1::DeletePatientRequest* request,
                                                            google::protobuf::Empty* response) {
  return Handle(
      ctx, *request, response,
      [this, request](const common::Caller& caller) -> absl::StatusOr<google::protobuf::Empty> {
        DF_RETURN_IF_ERROR(manager_.Delete(caller, *request));
        return google::protobuf::Empty();
      });
}

grpc::ServerUnaryReactor* PatientGrpcService::ExportPatient(grpc::CallbackServerContext* ctx,
                                                            const v1::ExportPatientRequest* request,
                                                            v1::ExportPatientResponse* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.Export(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::SetConsent(grpc::CallbackServerContext* ctx,
                                                         const v1::SetConsentRequest* request,
                                                         v1::Patient* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.SetConsent(caller, *request);
  });
}

grpc::ServerUnaryReactor* PatientGrpcService::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return Handle(ctx, *request, response, [this, request](const common::Caller& caller) {
    return manager_.ListAuditEntries(caller, *request);
  });
}

}  // namespace dermaflow::patient
