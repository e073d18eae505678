// The audit trail's retention (--audit_retention, issue 16) on a real
// redis-server: the scripts that append audit entries trim the streams they
// write, and the sweep trims the streams of patients nobody touches. Stream
// ids are Redis's clock, so entries "from years ago" are planted with
// explicit old ids; the cutoff comes from the service's FakeClock.
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/patient/store/audit_retention.h"
#include "services/patient/store/audit_retention_sweeper.h"
#include "tests/integration/patient/patient_test_fixture.h"

namespace dermaflow::patient::testing {
namespace {

class AuditRetentionTest : public PatientServiceTest {
 protected:
  // The store's default retention against the fixture's clock.
  absl::Time Cutoff() const { return clock_.Now() - kDefaultAuditRetention; }
  int64_t BeforeCutoffMs() const { return absl::ToUnixMillis(Cutoff() - absl::Hours(24)); }
  int64_t AfterCutoffMs() const { return absl::ToUnixMillis(Cutoff() + absl::Hours(24)); }

  static std::string PatientTrail(const std::string& id) {
    return *common::TenantKey(kStaffA.org, "patient_audit", id);
  }
  static std::string TenantTrail() { return *common::TenantKey(kStaffA.org, "patient_audit"); }

  // Puts `count` entries at each of `ms` (oldest first) in front of the
  // stream's entries (or instead of them), as if written back then. They
  // carry a copy of the stream's first entry, so they parse as AuditEntries.
  void Plant(const std::string& key, const std::vector<std::pair<int64_t, int>>& ms,
             bool keep_existing = true) {
    common::RedisReply entries = Redis({"XRANGE", key, "-", "+"});
    ASSERT_FALSE(entries.elements().empty()) << key;
    const std::string bytes = entries.elements()[0].elements()[1].elements()[1].str();
    Redis({"DEL", key});
    for (const auto& [at, count] : ms) {
      for (int i = 0; i < count; ++i) Redis({"XADD", key, absl::StrCat(at, "-", i), "a", bytes});
    }
    if (!keep_existing) return;
    for (const common::RedisReply& entry : entries.elements()) {
      Redis({"XADD", key, entry.elements()[0].str(), "a", entry.elements()[1].elements()[1].str()});
    }
  }

  // The millisecond part of each entry id of `key`.
  std::vector<int64_t> EntryTimes(const std::string& key) {
    std::vector<int64_t> out;
    const common::RedisReply entries = Redis({"XRANGE", key, "-", "+"});
    for (const common::RedisReply& entry : entries.elements()) {
      const std::string& id = entry.elements()[0].str();
      int64_t ms = 0;
      EXPECT_TRUE(absl::SimpleAtoi(id.substr(0, id.find('-')), &ms)) << id;
      out.push_back(ms);
    }
    return out;
  }
  int64_t CountBefore(const std::string& key, int64_t ms) {
    int64_t n = 0;
    for (int64_t t : EntryTimes(key)) n += t < ms ? 1 : 0;
    return n;
  }
  int64_t CountAt(const std::string& key, int64_t ms) {
    int64_t n = 0;
    for (int64_t t : EntryTimes(key)) n += t == ms ? 1 : 0;
    return n;
  }

  // Sweeps until a whole walk is done; returns the passes it took.
  int SweepAll(AuditRetentionSweeper& sweeper, int64_t* removed) {
    for (int passes = 1; passes <= 1000; ++passes) {
      absl::StatusOr<AuditSweepPass> pass = sweeper.SweepOnce();
      EXPECT_TRUE(pass.ok()) << pass.status();
      if (!pass.ok()) return passes;
      *removed += pass->entries_removed;
      if (pass->walk_completed) return passes;
    }
    ADD_FAILURE() << "the sweep never finished its walk";
    return 0;
  }

  double Counter(prometheus::Registry& registry, const std::string& name) {
    for (const auto& family : registry.Collect()) {
      if (family.name == name && !family.metric.empty()) return family.metric[0].counter.value;
    }
    return -1;
  }
};

TEST_F(AuditRetentionTest, AnAuditedReadTrimsTheTrailsItWritesTo) {
  const v1::Patient patient = CreateNamed(kStaffA, "Anna", "Weber");
  const std::string trail = PatientTrail(patient.id());
  Plant(trail, {{BeforeCutoffMs(), 3}, {AfterCutoffMs(), 2}});
  Plant(TenantTrail(), {{BeforeCutoffMs(), 300}, {AfterCutoffMs(), 2}});
  ASSERT_EQ(CountBefore(trail, absl::ToUnixMillis(Cutoff())), 3);

  ASSERT_TRUE(Get(kStaffA, patient.id(), v1::PATIENT_VIEW_FULL).ok());  // audited

  // The patient's trail exactly: older entries gone, newer ones and today's
  // (CREATE, READ) kept.
  EXPECT_EQ(CountBefore(trail, absl::ToUnixMillis(Cutoff())), 0);
  EXPECT_EQ(CountAt(trail, AfterCutoffMs()), 2);
  EXPECT_EQ(EntryTimes(trail).size(), 4u);
  v1::ListAuditEntriesRequest list;
  list.set_patient_id(patient.id());
  absl::StatusOr<v1::ListAuditEntriesResponse> listed = ListAudit(kStaffA, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->audit_entries_size(), 4);
  // The tenant's trail by whole stream nodes (at most 100 entries each):
  // what is left of the old ones shares a node with newer entries.
  EXPECT_LT(CountBefore(TenantTrail(), absl::ToUnixMillis(Cutoff())), 100);
  EXPECT_EQ(CountAt(TenantTrail(), AfterCutoffMs()), 2);
}

TEST_F(AuditRetentionTest, EveryAuditingWriteTrims) {
  v1::Patient patient = CreateNamed(kStaffA, "Anna", "Weber");
  const std::string trail = PatientTrail(patient.id());
  Plant(trail, {{BeforeCutoffMs(), 2}});
  patient.set_given_name("Anne");
  absl::StatusOr<v1::Patient> updated = Update(kStaffA, patient, {"given_name"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(CountBefore(trail, absl::ToUnixMillis(Cutoff())), 0);

  Plant(trail, {{BeforeCutoffMs(), 2}});
  ASSERT_TRUE(Export(kStaffA, patient.id()).ok());
  EXPECT_EQ(CountBefore(trail, absl::ToUnixMillis(Cutoff())), 0);

  Plant(trail, {{BeforeCutoffMs(), 2}});
  ASSERT_TRUE(Delete(kStaffA, patient.id(), updated->etag()).ok());
  EXPECT_EQ(CountBefore(trail, absl::ToUnixMillis(Cutoff())), 0);
  EXPECT_FALSE(EntryTimes(trail).empty());  // the ERASE entry and the rest stay
}

TEST_F(AuditRetentionTest, TheSweepReachesPatientsNobodyTouches) {
  const v1::Patient recent = CreateNamed(kStaffA, "Anna", "Weber");
  const v1::Patient forgotten = CreateNamed(kStaffA, "Lukas", "Schmidt");
  const v1::Patient fresh = CreateNamed(kStaffA, "Emily", "Shaw");
  const v1::Patient elsewhere = CreateNamed(kStaffB, "Jonas", "Braun");
  Plant(PatientTrail(recent.id()), {{BeforeCutoffMs(), 2}, {AfterCutoffMs(), 1}});
  // Nothing but old entries: a patient nobody opened since.
  Plant(PatientTrail(forgotten.id()), {{BeforeCutoffMs(), 4}}, /*keep_existing=*/false);
  const std::string other_trail = *common::TenantKey(kStaffB.org, "patient_audit", elsewhere.id());
  Plant(other_trail, {{BeforeCutoffMs(), 1}});
  const size_t fresh_entries = EntryTimes(PatientTrail(fresh.id())).size();

  prometheus::Registry registry;
  // Two keys per pass: the walk takes many passes, each one cheap.
  AuditRetentionSweeper sweeper(*redis_, clock_, registry, {.keys_per_pass = 2});
  int64_t removed = 0;
  const int passes = SweepAll(sweeper, &removed);
  EXPECT_GT(passes, 1);

  EXPECT_EQ(CountBefore(PatientTrail(recent.id()), absl::ToUnixMillis(Cutoff())), 0);
  EXPECT_EQ(CountAt(PatientTrail(recent.id()), AfterCutoffMs()), 1);
  EXPECT_EQ(Redis({"EXISTS", PatientTrail(forgotten.id())}).integer(), 0);  // emptied: gone
  EXPECT_EQ(EntryTimes(PatientTrail(fresh.id())).size(), fresh_entries);
  EXPECT_EQ(CountBefore(other_trail, absl::ToUnixMillis(Cutoff())), 0);  // every tenant
  EXPECT_EQ(removed, 2 + 4 + 1);
  EXPECT_EQ(Counter(registry, "dermaflow_audit_entries_expired_total"), 7);
  EXPECT_EQ(Counter(registry, "dermaflow_audit_sweep_walks_total"), 1);
  // The patients themselves are untouched: only their trail ages out.
  EXPECT_TRUE(Get(kStaffA, forgotten.id()).ok());

  // Time passes (the FakeClock): what was just inside the retention leaves.
  clock_.Advance(absl::Hours(48));
  removed = 0;
  SweepAll(sweeper, &removed);
  EXPECT_EQ(CountAt(PatientTrail(recent.id()), AfterCutoffMs()), 0);
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(EntryTimes(PatientTrail(fresh.id())).size(), fresh_entries);
}

TEST_F(AuditRetentionTest, ZeroRetentionKeepsEverything) {
  const v1::Patient patient = CreateNamed(kStaffA, "Anna", "Weber");
  Plant(PatientTrail(patient.id()), {{BeforeCutoffMs(), 2}});
  prometheus::Registry registry;
  AuditRetentionSweeper sweeper(*redis_, clock_, registry, {.retention = absl::ZeroDuration()});
  absl::StatusOr<AuditSweepPass> pass = sweeper.SweepOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->entries_removed, 0);
  EXPECT_EQ(CountBefore(PatientTrail(patient.id()), absl::ToUnixMillis(Cutoff())), 2);
}

}  // namespace
}  // namespace dermaflow::patient::testing
