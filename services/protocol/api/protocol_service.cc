#include "services/protocol/api/protocol_service.h"

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_size.h"
#include "common/api/request_id.h"
#include "common/auth/handle_rpc.h"
#include "common/auth/rpc_roles.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/proto_time.h"
#include "services/protocol/api/protocol_roles.h"
#include "services/protocol/clients/screening_patient.h"
#include "services/protocol/domain/protocol_errors.h"
#include "services/protocol/domain/protocol_validation.h"
#include "services/protocol/domain/protocol_versions.h"
#include "services/protocol/domain/screening.h"

namespace dermaflow::protocol {
ProtocolGrpcService::ProtocolGrpcService(ProtocolStore& store, common::PatientClient& patients,
                                         const common::Authenticator& authenticator,
                                         const common::Clock& clock, ProtocolMetrics& metrics)
    : store_(store),
      patients_(patients),
      authenticator_(authenticator),
      clock_(clock),
      metrics_(metrics),
      seeder_(store, clock),
      page_tokens_([&store] { return store.PageTokenSecret(); }) {}

absl::Status ProtocolGrpcService::Begin(const common::Caller& caller, const common::RpcRoles& rpc) {
  DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, rpc));
  return seeder_.EnsureSeeded(caller.organization);
}

grpc::Status ProtocolGrpcService::ListProtocols(grpc::ServerContext* ctx,
                                                const v1::ListProtocolsRequest* req,
                                                v1::ListProtocolsResponse* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("ListProtocols")));
        common::FieldViolations violations;
        if (!v1::ProtocolCategory_IsValid(req->category()))
          violations.Add("category", "unknown value");
        if (!v1::TreatmentArea_IsValid(req->area())) violations.Add("area", "unknown value");
        if (!v1::ProtocolOrigin_IsValid(req->origin())) violations.Add("origin", "unknown value");
        DF_RETURN_IF_ERROR(violations.ToStatus());

        ProtocolQuery query;
        DF_ASSIGN_OR_RETURN(query.page_size, common::EffectivePageSize(req->page_size()));
        query.category = req->category();
        query.area = req->area();
        query.origin = req->origin();
        query.show_archived = req->show_archived();
        DF_ASSIGN_OR_RETURN(common::PagePosition after,
                            page_tokens_.Decode(caller.organization, *req));
        if (!after.empty()) query.after = after.front();
        DF_ASSIGN_OR_RETURN(ProtocolPage page, store_.List(caller.organization, query));
        for (auto& p : page.protocols) *resp->add_protocols() = std::move(p);
        if (!page.next_after.empty()) {
          DF_ASSIGN_OR_RETURN(*resp->mutable_next_page_token(),
                              page_tokens_.Encode(caller.organization, *req, {page.next_after}));
        }
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::GetProtocol(grpc::ServerContext* ctx,
                                              const v1::GetProtocolRequest* req,
                                              v1::Protocol* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("GetProtocol")));
        common::FieldViolations violations;
        if (req->id().empty()) violations.Add("id", "is required");
        if (req->version() < 0) violations.Add("version", "must not be negative");
        DF_RETURN_IF_ERROR(violations.ToStatus());
        DF_ASSIGN_OR_RETURN(*resp, store_.Get(caller.organization, req->id(), req->version()));
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::ListProtocolVersions(grpc::ServerContext* ctx,
                                                       const v1::ListProtocolVersionsRequest* req,
                                                       v1::ListProtocolVersionsResponse* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("ListProtocolVersions")));
        if (req->id().empty()) return common::InvalidArgumentError("id", "is required");
        DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(req->page_size()));
        DF_ASSIGN_OR_RETURN(common::PagePosition after,
                            page_tokens_.Decode(caller.organization, *req));
        int64_t from_version = 0;
        if (!after.empty() &&
            (!absl::SimpleAtoi(after.front(), &from_version) || from_version < 1)) {
          return common::InvalidArgumentError("page_token",
                                              "is not a next_page_token of this list");
        }
        DF_ASSIGN_OR_RETURN(VersionPage page, store_.ListVersions(caller.organization, req->id(),
                                                                  from_version, page_size));
        for (auto& p : page.versions) *resp->add_protocols() = std::move(p);
        if (page.next_version > 0) {
          DF_ASSIGN_OR_RETURN(
              *resp->mutable_next_page_token(),
              page_tokens_.Encode(caller.organization, *req, {absl::StrCat(page.next_version)}));
        }
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::CreateProtocol(grpc::ServerContext* ctx,
                                                 const v1::CreateProtocolRequest* req,
                                                 v1::Protocol* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("CreateProtocol")));
        common::FieldViolations violations;
        common::ValidateRequestId(req->request_id(), violations);
        if (!req->has_protocol()) {
          violations.Add("protocol", "is required");
        } else {
          ValidateProtocol(req->protocol(), "protocol", violations);
        }
        DF_RETURN_IF_ERROR(violations.ToStatus());

        const v1::Protocol requested = WithoutServerFields(req->protocol());
        // Of the normalized input: a retry has the same fingerprint.
        const std::string fingerprint = common::RequestFingerprint(requested);
        v1::ProtocolSource source;
        source.set_origin(v1::PROTOCOL_ORIGIN_ORGANIZATION);
        v1::Protocol first =
            FirstVersion(requested, NewProtocolId(), source, {clock_.Now(), caller.subject});
        DF_ASSIGN_OR_RETURN(CreateResult result, store_.Create(caller.organization, first,
                                                               req->request_id(), fingerprint));
        if (result.fingerprint != fingerprint) {
          return common::RequestIdReusedError();
        }
        if (result.id == first.id()) {
          *resp = std::move(first);
          return absl::OkStatus();
        }
        DF_ASSIGN_OR_RETURN(*resp, store_.Get(caller.organization, result.id, 1));  // a retry
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::UpdateProtocol(grpc::ServerContext* ctx,
                                                 const v1::UpdateProtocolRequest* req,
                                                 v1::Protocol* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("UpdateProtocol")));
        const v1::Protocol& changes = req->protocol();
        common::FieldViolations violations;
        if (changes.id().empty()) violations.Add("protocol.id", "is required");
        if (changes.etag().empty()) {
          violations.Add("protocol.etag", "is required");
        } else if (VersionFromEtag(changes.etag()) < 0) {
          violations.Add("protocol.etag", "is not an etag of this service");
        }
        DF_RETURN_IF_ERROR(violations.ToStatus());

        DF_ASSIGN_OR_RETURN(v1::Protocol latest, store_.Get(caller.organization, changes.id(), 0));
        if (VersionFromEtag(changes.etag()) != latest.version()) {
          return EtagMismatchError(changes.id(), latest.version());
        }
        DF_ASSIGN_OR_RETURN(v1::Protocol next, NextVersion(latest, changes, req->update_mask(),
                                                           {clock_.Now(), caller.subject}));
        // The store checks again, atomically, that nobody added a version since.
        DF_RETURN_IF_ERROR(store_.AddVersion(caller.organization, next));
        *resp = std::move(next);
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::SeedCatalog(grpc::ServerContext* ctx,
                                              const v1::SeedCatalogRequest* req,
                                              v1::SeedCatalogResponse* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        // No Begin: seeding everything first would leave nothing to report.
        DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("SeedCatalog")));
        DF_ASSIGN_OR_RETURN(*resp, seeder_.Seed(caller.organization, req->catalog_keys()));
        return absl::OkStatus();
      });
}

grpc::Status ProtocolGrpcService::ScreenEligibility(grpc::ServerContext* ctx,
                                                    const v1::ScreenEligibilityRequest* req,
                                                    v1::ScreenEligibilityResponse* resp) {
  return common::HandleRpc(
      ctx, authenticator_, *req, [&](const common::Caller& caller) -> absl::Status {
        DF_RETURN_IF_ERROR(Begin(caller, RolesOf("ScreenEligibility")));
        common::FieldViolations violations;
        if (req->patient_id().empty()) violations.Add("patient_id", "is required");
        if (req->protocol_id().empty()) violations.Add("protocol_id", "is required");
        if (req->protocol_version() < 0) violations.Add("protocol_version", "must not be negative");
        DF_RETURN_IF_ERROR(violations.ToStatus());
        const absl::Time now = clock_.Now();
        DF_ASSIGN_OR_RETURN(absl::CivilDay day, TreatmentDay(*req, now));

        // The protocol first: a bad request should not cost an audited read of
        // the patient's medical profile.
        DF_ASSIGN_OR_RETURN(
            v1::Protocol protocol,
            store_.Get(caller.organization, req->protocol_id(), req->protocol_version()));
        DF_RETURN_IF_ERROR(CheckRequestedAreas(protocol, req->areas()));
        DF_ASSIGN_OR_RETURN(patient::v1::Patient patient,
                            ReadPatientForScreening(patients_, caller, *ctx, req->patient_id()));

        *resp = Screen(protocol, patient, req->locale(), day);
        *resp->mutable_screen_time() = common::ToTimestamp(now);
        if (!resp->eligible()) {
          metrics_.screened_blocked.Increment();
        } else if (resp->requires_override()) {
          metrics_.screened_needs_override.Increment();
        } else {
          metrics_.screened_eligible.Increment();
        }
        return absl::OkStatus();
      });
}

}  // namespace dermaflow::protocol
