#include "services/scheduling/app/waitlist/waitlist_entries.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_size.h"
#include "common/api/request_id.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/ids.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/screening.h"

namespace dermaflow::scheduling {
namespace {

// The offset a page token carries (0 on page 1).
absl::StatusOr<int64_t> OffsetOf(const common::PagePosition& cursor) {
  int64_t offset = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor[0], &offset)) {
    return common::InvalidArgumentError("page_token", "not a token of this list");
  }
  return offset;
}

}  // namespace

absl::Status ScreenForWaitlist(SchedulingDeps& deps, const CallContext& call,
                               const std::string& patient_id,
                               const protocol::v1::Protocol& protocol, absl::CivilDay day) {
  protocol::v1::ScreenEligibilityRequest request;
  request.set_patient_id(patient_id);
  request.set_protocol_id(protocol.id());
  request.set_protocol_version(protocol.version());
  *request.mutable_treatment_date() = ToDate(day);
  DF_ASSIGN_OR_RETURN(protocol::v1::ScreenEligibilityResponse screening,
                      deps.protocols.ScreenEligibility(call.origin(), request));
  return CheckScreening(screening, nullptr, "override");
}

absl::StatusOr<v1::WaitlistEntry> WaitlistEntries::Create(
    const CallContext& call, const v1::CreateWaitlistEntryRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CreateWaitlistEntry")));
  const std::string& org = call.caller.organization;
  const absl::Time now = deps_.scheduling.clock.Now();
  common::FieldViolations violations;
  common::ValidateRequestId(request.request_id(), violations);
  DF_RETURN_IF_ERROR(violations.ToStatus());
  if (!request.has_entry()) return common::InvalidArgumentError("entry", "required");
  const std::string fingerprint = common::RequestFingerprint(request);
  if (!request.request_id().empty()) {
    // A retry answers with what the first request created.
    DF_ASSIGN_OR_RETURN(auto replay, deps_.scheduling.appointments.FindRequest(
                                         org, "waitlist", request.request_id(), fingerprint));
    if (replay) return deps_.store.GetEntry(org, *replay);
  }
  const v1::WaitlistEntry& in = request.entry();
  if (in.clinic_id().empty()) return common::InvalidArgumentError("entry.clinic_id", "required");
  DF_ASSIGN_OR_RETURN(v1::Clinic clinic, deps_.scheduling.resources.GetClinic(org, in.clinic_id()));
  DF_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(clinic));
  DF_RETURN_IF_ERROR(ValidateNewEntry(in, tz, now));
  if (!in.practitioner_id().empty()) {
    DF_RETURN_IF_ERROR(
        deps_.scheduling.resources.GetPractitioner(org, in.practitioner_id()).status());
  }
  DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                      deps_.scheduling.protocols.GetProtocol(call.origin(), in.protocol_id(), 0));
  const absl::CivilDay first_day =
      std::max(*ToCivilDay(in.earliest_date()), absl::ToCivilDay(now, tz));
  DF_RETURN_IF_ERROR(
      ScreenForWaitlist(deps_.scheduling, call, in.patient_id(), protocol, first_day));

  v1::WaitlistEntry entry = in;
  entry.set_id(NewId("wl"));
  entry.set_state(v1::WAITLIST_ENTRY_STATE_WAITING);
  entry.set_etag(NewEtag());
  entry.clear_appointment_id();
  *entry.mutable_create_time() = ToTimestamp(now);
  if (!entry.has_expire_time()) *entry.mutable_expire_time() = ToTimestamp(ExpiryOf(entry, tz));
  DF_ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                      deps_.store.CreateEntry(org, entry, request.request_id(), fingerprint));
  if (replayed) return deps_.store.GetEntry(org, *replayed);
  return entry;
}

absl::StatusOr<v1::WaitlistEntry> WaitlistEntries::Get(const CallContext& call,
                                                       const v1::GetWaitlistEntryRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("GetWaitlistEntry")));
  if (request.id().empty()) return common::InvalidArgumentError("id", "required");
  DF_ASSIGN_OR_RETURN(v1::WaitlistEntry entry,
                      deps_.store.GetEntry(call.caller.organization, request.id()));
  entry.set_state(EffectiveState(entry, deps_.scheduling.clock.Now()));
  return entry;
}

absl::StatusOr<v1::ListWaitlistEntriesResponse> WaitlistEntries::List(
    const CallContext& call, const v1::ListWaitlistEntriesRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("ListWaitlistEntries")));
  const std::string& org = call.caller.organization;
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor, page_tokens_.Decode(org, request));
  DF_ASSIGN_OR_RETURN(int64_t offset, OffsetOf(cursor));
  const absl::Time now = deps_.scheduling.clock.Now();
  // The index of a clinic and protocol holds only WAITING entries; other
  // states (and listing every state) read the organization's listing.
  const bool indexed = !request.clinic_id().empty() && !request.protocol_id().empty() &&
                       request.state() == v1::WAITLIST_ENTRY_STATE_WAITING;
  v1::ListWaitlistEntriesResponse response;
  const int64_t batch = page_size + 1;
  for (;;) {
    DF_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                        deps_.store.ListEntryIds(org, indexed ? request.clinic_id() : "",
                                                 request.protocol_id(), offset, batch));
    DF_ASSIGN_OR_RETURN(std::vector<v1::WaitlistEntry> entries, deps_.store.GetEntries(org, ids));
    size_t position = 0;  // of the entry in `ids` (deleted ones are left out)
    for (v1::WaitlistEntry& e : entries) {
      while (position < ids.size() && ids[position] != e.id()) ++position;
      e.set_state(EffectiveState(e, now));
      if (!request.clinic_id().empty() && e.clinic_id() != request.clinic_id()) continue;
      if (!request.protocol_id().empty() && e.protocol_id() != request.protocol_id()) continue;
      if (request.state() != v1::WAITLIST_ENTRY_STATE_UNSPECIFIED && e.state() != request.state()) {
        continue;
      }
      if (response.entries_size() == page_size) {
        DF_ASSIGN_OR_RETURN(
            *response.mutable_next_page_token(),
            page_tokens_.Encode(org, request,
                                {absl::StrCat(offset + static_cast<int64_t>(position))}));
        return response;
      }
      *response.add_entries() = std::move(e);
    }
    offset += static_cast<int64_t>(ids.size());
    if (static_cast<int64_t>(ids.size()) < batch) return response;
  }
}

absl::StatusOr<google::protobuf::Empty> WaitlistEntries::Delete(
    const CallContext& call, const v1::DeleteWaitlistEntryRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("DeleteWaitlistEntry")));
  if (request.id().empty()) return common::InvalidArgumentError("id", "required");
  const std::string& org = call.caller.organization;
  DF_ASSIGN_OR_RETURN(v1::WaitlistEntry entry, deps_.store.GetEntry(org, request.id()));
  DF_RETURN_IF_ERROR(deps_.store.DeleteEntry(org, entry, request.etag()));
  return google::protobuf::Empty();
}

absl::StatusOr<v1::ListWaitlistOffersResponse> WaitlistEntries::ListOffers(
    const CallContext& call, const v1::ListWaitlistOffersRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("ListWaitlistOffers")));
  const std::string& org = call.caller.organization;
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor, page_tokens_.Decode(org, request));
  DF_ASSIGN_OR_RETURN(int64_t offset, OffsetOf(cursor));
  DF_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      deps_.store.ListOfferIds(org, request.entry_id(), request.slot_id(), offset, page_size + 1));
  v1::ListWaitlistOffersResponse response;
  for (size_t i = 0; i < ids.size() && i < static_cast<size_t>(page_size); ++i) {
    absl::StatusOr<v1::WaitlistOffer> offer = deps_.store.GetOffer(org, ids[i]);
    if (absl::IsNotFound(offer.status())) continue;
    DF_RETURN_IF_ERROR(offer.status());
    *response.add_offers() = *std::move(offer);
  }
  if (ids.size() > static_cast<size_t>(page_size)) {
    DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                        page_tokens_.Encode(org, request, {absl::StrCat(offset + page_size)}));
  }
  return response;
}

}  // namespace dermaflow::scheduling
