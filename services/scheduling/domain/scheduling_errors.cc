#include "services/scheduling/domain/scheduling_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"

namespace dermaflow::scheduling {

absl::Status SlotConflictError(const SlotConflict& c) {
  const std::string type = c.owner == "practitioner" ? kPractitionerType
                           : c.owner == "patient"    ? kPatientType
                                                     : kRoomType;
  const std::string who =
      c.owner_id.empty() ? "every suitable room" : absl::StrCat(c.owner, " ", c.owner_id);
  const std::string description =
      c.owner_id.empty() ? std::string("no suitable room of the clinic is free then")
                         : absl::StrCat("busy with appointment ", c.other_id, " from ",
                                        common::LocalTimeText(c.other_start, c.time_zone));
  return common::ResourceReasonError(
      absl::StatusCode::kAlreadyExists, kErrorDomain, "SLOT_CONFLICT",
      absl::StrCat("slot taken (session ", c.session, " at ",
                   common::LocalTimeText(c.session_start, c.time_zone), "): ", who,
                   " is busy; find another with FindAvailableSlots"),
      type, c.owner_id, description);
}

absl::Status OfferClosedError(const std::string& reason, const std::string& offer_id) {
  std::string text = "the offer is no longer open";
  if (reason == "OFFER_TAKEN") text = "another patient accepted this slot first";
  if (reason == "OFFER_EXPIRED") text = "the offer's hold has ended";
  if (reason == "OFFER_DECLINED") text = "the offer was declined";
  if (reason == "OFFER_ACCEPTED") text = "the offer was accepted already";
  return common::WithErrorInfo(
      common::FailedPreconditionError(text, {{reason, absl::StrCat("offer/", offer_id), text}}),
      reason, kErrorDomain);
}

}  // namespace dermaflow::scheduling
