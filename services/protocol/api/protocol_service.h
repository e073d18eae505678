// The gRPC handlers of dermaflow.protocol.v1.ProtocolService: each one
// authenticates and authorizes the caller, makes sure the caller's
// organization has the built-in catalog, validates the request, and calls
// the store, the version rules (protocol_versions.h) or screening
// (screening.h). The organization is always the caller's, never a field.
//
//   ProtocolGrpcService service(store, patients, runtime->authenticator(),
//                               runtime->clock(), metrics);
//   runtime->Serve({&service});
#pragma once

#include "common/api/page_token.h"
#include "common/auth/authenticator.h"
#include "common/auth/caller.h"
#include "common/auth/rpc_roles.h"
#include "common/clients/patient_client.h"
#include "common/clock/clock.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "services/protocol/api/protocol_metrics.h"
#include "services/protocol/app/catalog_seeder.h"
#include "services/protocol/store/protocol_store.h"

namespace dermaflow::protocol {

class ProtocolGrpcService final : public v1::ProtocolService::Service {
 public:
  // All references must outlive the service.
  // `patients` reads the screened patient for the caller (screening_patient.h).
  ProtocolGrpcService(ProtocolStore& store, common::PatientClient& patients,
                      const common::Authenticator& authenticator, const common::Clock& clock,
                      ProtocolMetrics& metrics);

  grpc::Status ListProtocols(grpc::ServerContext* ctx, const v1::ListProtocolsRequest* req,
                             v1::ListProtocolsResponse* resp) override;
  grpc::Status GetProtocol(grpc::ServerContext* ctx, const v1::GetProtocolRequest* req,
                           v1::Protocol* resp) override;
  grpc::Status ListProtocolVersions(grpc::ServerContext* ctx,
                                    const v1::ListProtocolVersionsRequest* req,
                                    v1::ListProtocolVersionsResponse* resp) override;
  grpc::Status CreateProtocol(grpc::ServerContext* ctx, const v1::CreateProtocolRequest* req,
                              v1::Protocol* resp) override;
  grpc::Status UpdateProtocol(grpc::ServerContext* ctx, const v1::UpdateProtocolRequest* req,
                              v1::Protocol* resp) override;
  grpc::Status SeedCatalog(grpc::ServerContext* ctx, const v1::SeedCatalogRequest* req,
                           v1::SeedCatalogResponse* resp) override;
  grpc::Status ScreenEligibility(grpc::ServerContext* ctx, const v1::ScreenEligibilityRequest* req,
                                 v1::ScreenEligibilityResponse* resp) override;

 private:
  // Check the caller's roles for `rpc`, then seed the catalog on the
  // organization's first call.
  absl::Status Begin(const common::Caller& caller, const common::RpcRoles& rpc);

  ProtocolStore& store_;
  common::PatientClient& patients_;
  const common::Authenticator& authenticator_;
  const common::Clock& clock_;
  ProtocolMetrics& metrics_;
  CatalogSeeder seeder_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::protocol
