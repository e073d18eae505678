// FindAvailableSlots: loads the clinic, the protocol, the qualified
// practitioners and suitable rooms and their busy calendars, and pages
// through FindSlots (availability.h). Slots are not reserved.
//
//   SlotFinder finder(deps);
//   DF_ASSIGN_OR_RETURN(v1::FindAvailableSlotsResponse page, finder.Find(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

class SlotFinder {
 public:
  explicit SlotFinder(SchedulingDeps deps)
      : deps_(deps), page_tokens_([r = &deps.resources] { return r->PageTokenSecret(); }) {}

  absl::StatusOr<v1::FindAvailableSlotsResponse> Find(const CallContext& call,
                                                      const v1::FindAvailableSlotsRequest& request);

 private:
  SchedulingDeps deps_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::scheduling
