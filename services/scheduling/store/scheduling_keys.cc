#include "services/scheduling/store/scheduling_keys.h"

#include "common/redis/keys.h"
#include "common/redis/lua_script.h"

namespace dermaflow::scheduling::keys {
namespace {

std::string_view View(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace

absl::StatusOr<std::string> Resource(const std::string& org, absl::string_view kind,
                                     const std::string& id) {
  return common::TenantKey(org, View(kind), id);
}

absl::StatusOr<std::string> ResourceIds(const std::string& org, absl::string_view kind) {
  return common::TenantKey(org, "ids", View(kind));
}

absl::StatusOr<std::string> UniqueNames(const std::string& org, absl::string_view what) {
  return common::TenantKey(org, "unique", View(what));
}

absl::StatusOr<std::string> Request(const std::string& org, absl::string_view rpc,
                                    const std::string& request_id) {
  return common::TenantKey(org, "request", View(rpc), common::Sha1Hex(request_id));
}

absl::StatusOr<std::string> Appointment(const std::string& org, const std::string& id) {
  return common::TenantKey(org, "appointment", id);
}

absl::StatusOr<std::string> Busy(const std::string& org, absl::string_view owner,
                                 const std::string& id) {
  return common::TenantKey(org, "busy", View(owner), id);
}

absl::StatusOr<std::string> Appointments(const std::string& org, absl::string_view owner,
                                         const std::string& id) {
  return common::TenantKey(org, "appointments", View(owner), id);
}

absl::StatusOr<std::string> UsedActionToken(const std::string& org, const std::string& token_id) {
  return common::TenantKey(org, "action_used", token_id);
}

absl::StatusOr<std::string> ConfirmationChecks(const std::string& org) {
  return common::TenantKey(org, "confirmations");
}

absl::StatusOr<std::string> Course(const std::string& org, const std::string& id) {
  return common::TenantKey(org, "course", id);
}

absl::StatusOr<std::string> Courses(const std::string& org, absl::string_view owner,
                                    const std::string& id) {
  return common::TenantKey(org, "courses", View(owner), id);
}

absl::StatusOr<std::string> WaitlistEntry(const std::string& org, const std::string& id) {
  return common::TenantKey(org, "wlentry", id);
}

absl::StatusOr<std::string> WaitlistEntries(const std::string& org) {
  return common::TenantKey(org, "wlentries");
}

absl::StatusOr<std::string> WaitlistIndex(const std::string& org, const std::string& clinic_id,
                                          const std::string& protocol_id) {
  return common::TenantKey(org, "wlindex", clinic_id, protocol_id);
}

absl::StatusOr<std::string> WaitlistSlot(const std::string& org, const std::string& slot_id) {
  return common::TenantKey(org, "wlslot", slot_id);
}

absl::StatusOr<std::string> WaitlistDue(const std::string& org) {
  return common::TenantKey(org, "wldue");
}

absl::StatusOr<std::string> WaitlistOffer(const std::string& org, const std::string& id) {
  return common::TenantKey(org, "wloffer", id);
}

absl::StatusOr<std::string> WaitlistOffers(const std::string& org, absl::string_view owner,
                                           const std::string& id) {
  return common::TenantKey(org, "wloffers", View(owner), id);
}

}  // namespace dermaflow::scheduling::keys
