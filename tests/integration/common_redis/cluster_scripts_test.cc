// Every Lua script of the code base on the Redis Cluster, and the keys the
// stores hand them: a script may only touch one tenant's slot, or Redis
// Cluster refuses it (and it would no longer be atomic).
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock/clock.h"
#include "common/events/event_stream.h"
#include "common/events/lua/keep_pending_lua.h"
#include "common/redis/hash_slot.h"
#include "common/redis/keys.h"
#include "common/replicas/lua/replica_heartbeat_lua.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/lua/claim_due_lua.h"
#include "services/notification/lua/drop_parked_day_lua.h"
#include "services/notification/lua/erase_patient_lua.h"
#include "services/notification/lua/expire_reminders_lua.h"
#include "services/notification/lua/promote_parked_lua.h"
#include "services/notification/lua/put_reminders_lua.h"
#include "services/notification/lua/renew_claims_lua.h"
#include "services/notification/lua/settle_patient_index_lua.h"
#include "services/notification/lua/update_settings_lua.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/redis_delivery_store.h"
#include "services/patient/lua/create_patient_lua.h"
#include "services/patient/lua/erase_patient_lua.h"
#include "services/patient/lua/read_patient_audited_lua.h"
#include "services/patient/lua/release_lock_lua.h"
#include "services/patient/lua/trim_audit_stream_lua.h"
#include "services/patient/lua/write_patient_lua.h"
#include "services/patient/store/redis_patient_store.h"
#include "services/protocol/lua/add_version_lua.h"
#include "services/protocol/lua/create_protocol_lua.h"
#include "services/protocol/lua/seed_catalog_lua.h"
#include "services/scheduling/lua/book_appointment_lua.h"
#include "services/scheduling/lua/calendar_lua.h"
#include "services/scheduling/lua/commit_lua.h"
#include "services/scheduling/lua/reschedule_appointment_lua.h"
#include "services/scheduling/lua/waitlist_decline_lua.h"
#include "services/scheduling/lua/waitlist_hold_lua.h"
#include "services/scheduling/lua/waitlist_release_lua.h"
#include "services/scheduling/store/scheduling_keys.h"
#include "tests/integration/common_redis/cluster_test_env.h"

namespace dermaflow::common {
namespace {

using ::testing::ContainerEq;
using ::testing::HasSubstr;
using ::testing::Not;

// Each embedded script by the file it was embedded from. A new .lua file
// makes EveryScriptFileIsHereAndLoadsOnEveryPrimary fail until it is added.
const std::map<std::string, const LuaScript*>& EmbeddedScripts() {
  static const auto* const kScripts = new std::map<std::string, const LuaScript*>{
      {"common/events/lua/keep_pending.lua", &KeepPendingScript()},
      {"common/replicas/lua/replica_heartbeat.lua", &ReplicaHeartbeatScript()},
      {"services/notification/lua/claim_due.lua", &notification::ClaimDueScript()},
      {"services/notification/lua/erase_patient.lua", &notification::ErasePatientScript()},
      {"services/notification/lua/expire_reminders.lua", &notification::ExpireRemindersScript()},
      {"services/notification/lua/put_reminders.lua", &notification::PutRemindersScript()},
      {"services/notification/lua/renew_claims.lua", &notification::RenewClaimsScript()},
      {"services/notification/lua/drop_parked_day.lua", &notification::DropParkedDayScript()},
      {"services/notification/lua/promote_parked.lua", &notification::PromoteParkedScript()},
      {"services/notification/lua/settle_patient_index.lua",
       &notification::SettlePatientIndexScript()},
      {"services/notification/lua/update_settings.lua", &notification::UpdateSettingsScript()},
      {"services/patient/lua/create_patient.lua", &patient::CreatePatientScript()},
      {"services/patient/lua/erase_patient.lua", &patient::ErasePatientScript()},
      {"services/patient/lua/read_patient_audited.lua", &patient::ReadPatientAuditedScript()},
      {"services/patient/lua/release_lock.lua", &patient::ReleaseLockScript()},
      {"services/patient/lua/trim_audit_stream.lua", &patient::TrimAuditStreamScript()},
      {"services/patient/lua/write_patient.lua", &patient::WritePatientScript()},
      {"services/protocol/lua/add_version.lua", &protocol::AddVersionScript()},
      {"services/protocol/lua/create_protocol.lua", &protocol::CreateProtocolScript()},
      {"services/protocol/lua/seed_catalog.lua", &protocol::SeedCatalogScript()},
      {"services/scheduling/lua/book_appointment.lua", &scheduling::BookAppointmentScript()},
      {"services/scheduling/lua/calendar.lua", &scheduling::CalendarScript()},
      {"services/scheduling/lua/commit.lua", &scheduling::CommitScript()},
      {"services/scheduling/lua/reschedule_appointment.lua",
       &scheduling::RescheduleAppointmentScript()},
      {"services/scheduling/lua/waitlist_decline.lua", &scheduling::WaitlistDeclineScript()},
      {"services/scheduling/lua/waitlist_hold.lua", &scheduling::WaitlistHoldScript()},
      {"services/scheduling/lua/waitlist_release.lua", &scheduling::WaitlistReleaseScript()},
  };
  return *kScripts;
}

// Every *.lua under common/ and services/, relative to the source root.
std::map<std::string, std::string> ScriptFilesInTheRepo() {
  std::map<std::string, std::string> files;
  const std::filesystem::path root = DERMAFLOW_SOURCE_DIR;
  for (const char* top : {"common", "services"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / top)) {
      if (entry.path().extension() != ".lua") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      files.emplace(std::filesystem::relative(entry.path(), root).string(), text.str());
    }
  }
  return files;
}

TEST_F(RedisClusterTest, EveryScriptFileIsHereAndLoadsOnEveryPrimary) {
  const std::map<std::string, std::string> files = ScriptFilesInTheRepo();
  std::set<std::string> on_disk;
  for (const auto& [path, text] : files) on_disk.insert(path);
  std::set<std::string> embedded;
  for (const auto& [path, script] : EmbeddedScripts()) embedded.insert(path);
  ASSERT_THAT(embedded, ContainerEq(on_disk));

  const std::vector<int> primaries = cluster_.PrimaryPorts();
  for (const auto& [path, script] : EmbeddedScripts()) {
    // The embedded text is the file's.
    EXPECT_EQ(script->source(), files.at(path)) << path;
    // Keys only ever come from KEYS (a key a script names itself cannot be
    // declared, so Redis Cluster could not route or check it).
    EXPECT_THAT(script->source(), Not(HasSubstr("'df:"))) << path;
    EXPECT_THAT(script->source(), Not(HasSubstr("\"df:"))) << path;
    // SCRIPT LOAD goes to every primary; each compiles and caches it.
    absl::StatusOr<RedisReply> sha = client_->Command({"SCRIPT", "LOAD", script->source()});
    ASSERT_TRUE(sha.ok()) << path << ": " << sha.status();
    EXPECT_EQ(sha->str(), script->sha1()) << path;
    for (int port : primaries) {
      EXPECT_EQ(
          cluster_.NodeCommand(port, {"SCRIPT", "EXISTS", script->sha1()}).elements()[0].integer(),
          1)
          << path << " on " << port;
    }
  }
}

// Organizations whose slots are on three different primaries.
std::vector<std::string> OrgsOnEveryPrimary(testing::RedisCluster& cluster) {
  std::vector<std::string> orgs;
  std::set<int> owners;
  for (int i = 0; owners.size() < 3; ++i) {
    const std::string org = absl::StrCat("chain-", i);
    if (owners.insert(cluster.PortOwning(KeyHashSlot(org))).second) orgs.push_back(org);
  }
  return orgs;
}

void ExpectOneSlot(const std::string& org, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    EXPECT_EQ(KeyHashSlot(key), KeyHashSlot(org)) << key;
  }
}

TEST_F(RedisClusterTest, EveryStoresKeysForOneOrganizationShareItsSlot) {
  for (const std::string& org : OrgsOnEveryPrimary(cluster_)) {
    // Events (patient and scheduling scripts append to it).
    ExpectOneSlot(org, {StreamKey(org).value(), TenantKeyPrefix(org).value() + "x"});

    // Notification: every key of the reminder scripts.
    const notification::NotificationKeys n = notification::NotificationKeys::For(org).value();
    ExpectOneSlot(org, {n.records,
                        n.queue,
                        n.retry,
                        n.inflight,
                        n.claims,
                        n.claim_seq,
                        n.dead,
                        n.done,
                        n.erased,
                        n.appointment_guards,
                        n.contexts,
                        n.deliveries,
                        n.delivery_time,
                        n.delivery_stream,
                        n.delivery_watched,
                        n.settings,
                        n.PatientIndex("p-1").value(),
                        n.PatientFinalIndex("p-1").value(),
                        n.PatientDeliveries("p-1").value(),
                        n.Clinic("c-1").value()});

    // Scheduling: every key builder.
    namespace sk = scheduling::keys;
    std::vector<std::string> keys;
    for (const char* kind : {"clinic", "practitioner", "room"}) {
      keys.push_back(sk::Resource(org, kind, "id-1").value());
      keys.push_back(sk::ResourceIds(org, kind).value());
    }
    for (const char* owner : {"practitioner", "room", "patient"}) {
      keys.push_back(sk::Busy(org, owner, "id-1").value());
    }
    for (const char* owner : {"clinic", "practitioner", "room", "patient"}) {
      keys.push_back(sk::Appointments(org, owner, "id-1").value());
    }
    keys.push_back(sk::UniqueNames(org, "practitioner").value());
    keys.push_back(sk::Request(org, "BookCourse", "req-1").value());
    keys.push_back(sk::Appointment(org, "a-1").value());
    keys.push_back(sk::UsedActionToken(org, "t-1").value());
    keys.push_back(sk::ConfirmationChecks(org).value());
    keys.push_back(sk::Course(org, "c-1").value());
    keys.push_back(sk::Courses(org, "patient", "p-1").value());
    keys.push_back(sk::WaitlistEntry(org, "w-1").value());
    keys.push_back(sk::WaitlistEntries(org).value());
    keys.push_back(sk::WaitlistIndex(org, "c-1", "pr-1").value());
    keys.push_back(sk::WaitlistSlot(org, "s-1").value());
    keys.push_back(sk::WaitlistDue(org).value());
    keys.push_back(sk::WaitlistOffer(org, "o-1").value());
    keys.push_back(sk::WaitlistOffers(org, "entry", "w-1").value());
    ExpectOneSlot(org, keys);
  }
}

TEST_F(RedisClusterTest, AScriptCallOverTwoTenantsIsRefused) {
  const std::vector<std::string> orgs = OrgsOnEveryPrimary(cluster_);
  absl::Status status;
  EXPECT_DEBUG_DEATH(status = client_
                                  ->Eval(KeepPendingScript(),
                                         {StreamKey(orgs[0]).value(), StreamKey(orgs[1]).value()},
                                         {"group", "0-1"})
                                  .status(),
                     "crosses hash slots");
#ifdef NDEBUG
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
#endif
}

// The patient store, unchanged, on the cluster: its four scripts with up to
// nine keys each, for tenants on every primary.
TEST_F(RedisClusterTest, PatientStoreRunsItsScriptsForTenantsOnEveryPrimary) {
  patient::RedisPatientStore store(*client_, SystemClock());
  for (const std::string& org : OrgsOnEveryPrimary(cluster_)) {
    patient::NewPatient input;
    input.patient.set_id("p-" + org);
    input.patient.set_given_name("Ada");
    input.patient.set_family_name("Lovelace");
    input.patient.set_locale("en");
    input.request_id = "req-" + org;
    input.request_fingerprint = "fp";
    absl::StatusOr<patient::CreateResult> created = store.Create(org, input);
    ASSERT_TRUE(created.ok()) << org << ": " << created.status();
    const std::string id = created->patient.id();

    absl::StatusOr<patient::v1::Patient> read =
        store.GetAudited(org, id, patient::v1::AuditEntry());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->family_name(), "Lovelace");

    patient::PatientChange change;
    change.patient = *read;
    change.patient.set_family_name("King");
    change.expected_etag = read->etag();
    absl::StatusOr<std::string> etag = store.Write(org, change);
    ASSERT_TRUE(etag.ok()) << etag.status();

    patient::Erasure erasure;
    erasure.patient_id = id;
    erasure.expected_etag = *etag;
    erasure.erase_time = "2026-01-01T00:00:00Z";
    erasure.event.set_id("e-" + org);
    erasure.event.set_organization(org);
    erasure.event.mutable_patient_erased()->set_patient_id(id);
    const absl::Status erased = store.Erase(org, erasure);
    ASSERT_TRUE(erased.ok()) << erased;
    EXPECT_FALSE(store.Get(org, id).ok());
    // The erasure's event went to the tenant's stream, in the same script.
    EXPECT_EQ(client_->Command({"XLEN", StreamKey(org).value()})->integer(), 1);
  }
}

// WatchNotifications' read of several tenants' delivery streams, on the
// cluster: one read per stream (each in its own slot), every tenant's
// deliveries found under its own organization.
TEST_F(RedisClusterTest, DeliveryStreamsOfTenantsOnEveryPrimaryAreReadTogether) {
  notification::RedisDeliveryStore store(*client_);
  std::map<std::string, std::string> positions;
  for (const std::string& org : OrgsOnEveryPrimary(cluster_)) {
    const notification::NotificationKeys keys = notification::NotificationKeys::For(org).value();
    notification::v1::Delivery delivery;
    delivery.set_reminder_id("r-" + org);
    ASSERT_TRUE(
        client_->Command({"HSET", keys.deliveries, "r-" + org, delivery.SerializeAsString()}).ok());
    ASSERT_TRUE(client_->Command({"XADD", keys.delivery_stream, "*", "i", "r-" + org}).ok());
    positions[org] = "0-0";
  }
  absl::StatusOr<std::vector<notification::StreamedDelivery>> read =
      store.ReadDeliveryStreams(positions, absl::Milliseconds(100));
  ASSERT_TRUE(read.ok()) << read.status();
  std::set<std::string> seen;
  for (const notification::StreamedDelivery& d : *read) {
    EXPECT_EQ(d.delivery.reminder_id(), "r-" + d.organization);
    seen.insert(d.organization);
  }
  EXPECT_EQ(seen.size(), positions.size());
  // Read again from the new positions: nothing new, after a short wait.
  read = store.ReadDeliveryStreams(positions, absl::Milliseconds(100));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->empty());
}

}  // namespace
}  // namespace dermaflow::common
