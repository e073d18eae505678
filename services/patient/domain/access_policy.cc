#include "services/patient/domain/access_policy.h"

#include <string_view>
#include <vector>

#include "common/auth/roles.h"

namespace dermaflow::patient {
namespace {

struct Rule {
  const char* what;
  std::vector<std::string_view> roles;
};

Rule RuleFor(Access access) {
  switch (access) {
    case Access::kCreate:
      return {"creating patients", {"reception", "practitioner", "clinic_admin"}};
    case Access::kRead:
      return {"reading patients", {"reception", "practitioner", "clinic_admin", "service"}};
    case Access::kReadMedicalProfile:
      // Reception books appointments, and booking screens the patient with
      // the caller's forwarded token; every such read is audited.
      return {"reading medical profiles", {"reception", "practitioner", "service"}};
    case Access::kUpdate:
      return {"changing patients", {"reception", "practitioner", "clinic_admin"}};
    case Access::kWriteMedicalProfile:
      return {"writing medical profiles", {"practitioner"}};
    case Access::kSetConsent:
      return {"recording consent", {"reception", "practitioner", "clinic_admin", "service"}};
    case Access::kAdminister:
      return {"export, erasure and audit trails", {"clinic_admin"}};
  }
  return {"this", {}};
}

}  // namespace

absl::Status Authorize(const common::Caller& caller, Access access) {
  const Rule rule = RuleFor(access);
  return common::RequireAnyRole(caller, rule.roles, rule.what);
}

}  // namespace dermaflow::patient
