// The waitlist entries reception manages: create (the patient screened
// against the protocol first, as for a booking), get, list, delete, and
// the offers made to them. Offers themselves come from SlotOffers.
//
//   WaitlistEntries entries(deps, page_tokens);
//   DF_ASSIGN_OR_RETURN(v1::WaitlistEntry e, entries.Create(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "google/protobuf/empty.pb.h"
#include "services/scheduling/app/waitlist/waitlist_deps.h"

namespace dermaflow::scheduling {

class WaitlistEntries {
 public:
  WaitlistEntries(WaitlistDeps deps, const common::PageTokenCodec& page_tokens)
      : deps_(deps), page_tokens_(page_tokens) {}

  absl::StatusOr<v1::WaitlistEntry> Create(const CallContext& call,
                                           const v1::CreateWaitlistEntryRequest& request);
  absl::StatusOr<v1::WaitlistEntry> Get(const CallContext& call,
                                        const v1::GetWaitlistEntryRequest& request);
  absl::StatusOr<v1::ListWaitlistEntriesResponse> List(
      const CallContext& call, const v1::ListWaitlistEntriesRequest& request);
  absl::StatusOr<google::protobuf::Empty> Delete(const CallContext& call,
                                                 const v1::DeleteWaitlistEntryRequest& request);
  absl::StatusOr<v1::ListWaitlistOffersResponse> ListOffers(
      const CallContext& call, const v1::ListWaitlistOffersRequest& request);

 private:
  WaitlistDeps deps_;
  const common::PageTokenCodec& page_tokens_;
};

// Screens `patient_id` for `protocol` on `day` (clinic zone): OK, or
// FAILED_PRECONDITION as for a booking without override (an absolute
// contraindication, or a relative one that would need a practitioner's
// override: such patients are booked at the desk, not from the waitlist).
absl::Status ScreenForWaitlist(SchedulingDeps& deps, const CallContext& call,
                               const std::string& patient_id,
                               const protocol::v1::Protocol& protocol, absl::CivilDay day);

}  // namespace dermaflow::scheduling
