// The gRPC face of dermaflow.patient.v1.PatientService: each handler
// authenticates the caller, hands the request to PatientManager and converts
// the outcome to a grpc::Status once (common/auth/handle_rpc.h). It is a
// callback-API service (no sync-server thread pool; bench/patient/RESULTS.md
// measures why); the work, which blocks on Redis, runs on `executor` when one
// is given, else on the gRPC thread that received the call.
//
//   HandlerExecutor executor(16);
//   PatientGrpcService service(manager, runtime->authenticator(), &executor);
//   return runtime->Serve({&service});
#pragma once

#include "common/auth/authenticator.h"
#include "common/server/handler_executor.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "services/patient/app/patient_manager.h"

namespace dermaflow::patient {

class PatientGrpcService final : public v1::PatientService::CallbackService {
 public:
  // `manager`, `authenticator` and `executor` (optional) must outlive the
  // server.
  PatientGrpcService(PatientManager& manager, const common::Authenticator& authenticator,
                     common::HandlerExecutor* executor = nullptr)
      : manager_(manager), authenticator_(authenticator), executor_(executor) {}

  grpc::ServerUnaryReactor* CreatePatient(grpc::CallbackServerContext* ctx,
                                          const v1::CreatePatientRequest* request,
                                          v1::Patient* response) override;
  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* ctx,
                                       const v1::GetPatientRequest* request,
                                       v1::Patient* response) override;
  grpc::ServerUnaryReactor* UpdatePatient(grpc::CallbackServerContext* ctx,
                                          const v1::UpdatePatientRequest* request,
                                          v1::Patient* response) override;
  grpc::ServerUnaryReactor* ListPatients(grpc::CallbackServerContext* ctx,
                                         const v1::ListPatientsRequest* request,
                                         v1::ListPatientsResponse* response) override;
  grpc::ServerUnaryReactor* DeletePatient(grpc::CallbackServerContext* ctx,
                                          const v1::DeletePatientRequest* request,
                                          google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* ExportPatient(grpc::CallbackServerContext* ctx,
                                          const v1::ExportPatientRequest* request,
                                          v1::ExportPatientResponse* response) override;
  grpc::ServerUnaryReactor* SetConsent(grpc::CallbackServerContext* ctx,
                                       const v1::SetConsentRequest* request,
                                       v1::Patient* response) override;
  grpc::ServerUnaryReactor* ListAuditEntries(grpc::CallbackServerContext* ctx,
                                             const v1::ListAuditEntriesRequest* request,
                                             v1::ListAuditEntriesResponse* response) override;

 private:
  // Runs `call` (returning absl::StatusOr<Response>) for the authenticated
  // caller and stores its value in `response`.
  template <typename Response, typename Call>
  grpc::ServerUnaryReactor* Handle(grpc::CallbackServerContext* ctx,
                                   const google::protobuf::Message& request, Response* response,
                                   Call call);

  PatientManager& manager_;
  const common::Authenticator& authenticator_;
  common::HandlerExecutor* const executor_;
};

}  // namespace dermaflow::patient
