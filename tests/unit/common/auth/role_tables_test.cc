// The role tables the checks read (one per service) against the "Roles:" line
// of each RPC comment in protos/dermaflow/*/v1/*_service.proto: every RPC is
// in its table once, with the same roles, so code and docs cannot drift.
#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "common/auth/roles.h"
#include "common/auth/rpc_roles.h"
#include "gtest/gtest.h"
#include "services/notification/api/notification_roles.h"
#include "services/patient/domain/access_policy.h"
#include "services/protocol/api/protocol_roles.h"
#include "services/scheduling/app/scheduling_roles.h"

namespace dermaflow::common {
namespace {

using RoleSet = std::set<std::string, std::less<>>;

std::string ReadProto(std::string_view service) {
  const std::string path = std::string(DERMAFLOW_SOURCE_DIR) + "/protos/dermaflow/" +
                           std::string(service) + "/v1/" + std::string(service) + "_service.proto";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "reception, practitioner, clinic_admin. Setting ..." → the base roles: the
// list up to the first '.', ';' or '('; "any dermaflow role" is all of them.
RoleSet ParseRoles(absl::string_view line) {
  const size_t end = line.find_first_of(".;(");
  absl::string_view list = absl::StripAsciiWhitespace(line.substr(0, end));
  RoleSet roles;
  if (list == "any dermaflow role") {
    roles.insert(kAllRoles.begin(), kAllRoles.end());
    return roles;
  }
  for (absl::string_view role : absl::StrSplit(list, ',')) {
    roles.insert(std::string(absl::StripAsciiWhitespace(role)));
  }
  return roles;
}

// RPC name → the roles of the last "// Roles:" line above its `rpc` line.
std::map<std::string, RoleSet> ProtoRoles(std::string_view service) {
  std::map<std::string, RoleSet> rpcs;
  std::optional<RoleSet> pending;
  for (absl::string_view line : absl::StrSplit(ReadProto(service), '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "// Roles:")) {
      pending = ParseRoles(line);
    } else if (absl::ConsumePrefix(&line, "rpc ")) {
      const std::string name(line.substr(0, line.find('(')));
      EXPECT_TRUE(pending.has_value()) << service << ": rpc " << name << " has no Roles: line";
      rpcs[name] = pending.value_or(RoleSet{});
      pending.reset();
    }
  }
  return rpcs;
}

std::map<std::string, RoleSet> TableRoles(absl::Span<const RpcRoles> table) {
  std::map<std::string, RoleSet> rpcs;
  for (const RpcRoles& entry : table) {
    EXPECT_FALSE(rpcs.contains(std::string(entry.rpc))) << entry.rpc << " is in the table twice";
    rpcs[std::string(entry.rpc)] = RoleSet(entry.roles.begin(), entry.roles.end());
  }
  return rpcs;
}

void ExpectSame(std::string_view service, absl::Span<const RpcRoles> table) {
  const std::map<std::string, RoleSet> proto = ProtoRoles(service);
  const std::map<std::string, RoleSet> code = TableRoles(table);
  ASSERT_FALSE(proto.empty()) << service;
  for (const auto& [rpc, roles] : proto) {
    auto it = code.find(rpc);
    if (it == code.end()) {
      ADD_FAILURE() << service << ": " << rpc << " is missing from the role table";
      continue;
    }
    EXPECT_EQ(it->second, roles) << service << ": " << rpc
                                 << " checks other roles than its proto comment says";
  }
  for (const auto& [rpc, roles] : code) {
    EXPECT_TRUE(proto.contains(rpc)) << service << ": " << rpc << " is not an RPC of the proto";
    for (const std::string& role : roles) {
      EXPECT_NE(std::find(kAllRoles.begin(), kAllRoles.end(), role), kAllRoles.end())
          << rpc << ": unknown role " << role;
    }
  }
}

TEST(RoleTablesTest, PatientMatchesProto) { ExpectSame("patient", patient::kRpcRoles); }
TEST(RoleTablesTest, ProtocolMatchesProto) { ExpectSame("protocol", protocol::kRpcRoles); }
TEST(RoleTablesTest, SchedulingMatchesProto) { ExpectSame("scheduling", scheduling::kRpcRoles); }
TEST(RoleTablesTest, NotificationMatchesProto) {
  ExpectSame("notification", notification::kRpcRoles);
}

TEST(RoleTablesTest, ParsesBaseRolesAndLeavesConditionsToCode) {
  EXPECT_EQ(ParseRoles(" reception, practitioner, clinic_admin; medical_profile paths need"),
            (RoleSet{"clinic_admin", "practitioner", "reception"}));
  EXPECT_EQ(ParseRoles(" clinic_admin. A practitioner may change"), (RoleSet{"clinic_admin"}));
  EXPECT_EQ(ParseRoles(" reception, service (the patient"), (RoleSet{"reception", "service"}));
  EXPECT_EQ(ParseRoles(" any dermaflow role.").size(), kAllRoles.size());
}

TEST(RoleTablesTest, CheckReadsTheTable) {
  Caller ops{.organization = "org", .roles = {"ops"}};
  Caller admin{.organization = "org", .roles = {"clinic_admin"}};
  EXPECT_TRUE(RequireRpcRoles(ops, scheduling::RolesOf("GetClinic")).ok());
  const absl::Status denied = RequireRpcRoles(ops, scheduling::RolesOf("CreateClinic"));
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "this call needs one of the roles: clinic_admin");
  EXPECT_TRUE(RequireRpcRoles(admin, patient::RolesOf("ListAuditEntries")).ok());
  EXPECT_EQ(RequireRpcRoles(admin, patient::kReadMedicalProfile).message(),
            "reading medical profiles needs one of the roles: reception, practitioner, service");
}

}  // namespace
}  // namespace dermaflow::common
