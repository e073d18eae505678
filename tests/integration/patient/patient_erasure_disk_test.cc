// Erasure reaches the disk: after DeletePatient, ErasureRewriter has Redis
// rewrite its append-only file, and the erased patient's name, phone and
// e-mail are then nowhere in Redis's files while a kept patient's still are
// (the positive control that the files are read at all). Real redis-server
// with AOF on (Redis 7: multi-part AOF in appendonlydir/).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/redis/erasure_ledger.h"
#include "common/redis/redis_client.h"
#include "prometheus/registry.h"
#include "services/patient/store/erasure_rewriter.h"
#include "tests/integration/patient/patient_test_fixture.h"
#include "tests/support/wait_for.h"

namespace dermaflow::patient::testing {
namespace {

namespace fs = std::filesystem;

struct Canaries {
  std::string given, family, phone, email;
  std::vector<std::string> all() const { return {given, family, phone, email}; }
};
const Canaries kErased{"Zorbaxerased", "Quintelerased", "+4915199900001",
                       "zorbax.erased@example.org"};
const Canaries kKept{"Wilmakept", "Ostrokept", "+4915177700002", "wilma.kept@example.org"};

using dermaflow::testing::WaitFor;

class ErasureDiskTest : public PatientServiceTest {
 protected:
  ErasureDiskTest() {
    // The rewritten base file is RDB; uncompressed strings keep the kept
    // patient's canaries readable as plain bytes (the positive control).
    EXPECT_FALSE(Redis({"CONFIG", "SET", "rdbcompression", "no"}).is_error());
  }

  // Every byte of Redis's persistence files: appendonlydir/* and *.rdb.
  std::string PersistedBytes() {
    std::string all;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(redis_server_.dir())) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name == "redis.log") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      all += bytes.str();
    }
    return all;
  }

  std::vector<std::string> Found(const Canaries& canaries) {
    const std::string bytes = PersistedBytes();
    std::vector<std::string> found;
    for (const std::string& canary : canaries.all()) {
      if (bytes.find(canary) != std::string::npos) found.push_back(canary);
    }
    return found;
  }

  v1::Patient CreateWith(const Canaries& c) {
    return CreateNamed(kStaffA, c.given, c.family, c.phone, c.email);
  }

  prometheus::Registry registry_;
};

TEST_F(ErasureDiskTest, ErasedPatientIsGoneFromTheAppendOnlyFileAfterTheRewrite) {
  ASSERT_TRUE(fs::is_directory(fs::path(redis_server_.dir()) / "appendonlydir"));
  const v1::Patient erased = CreateWith(kErased);
  CreateWith(kKept);
  for (int i = 0; i < 20; ++i) {
    CreateNamed(kStaffB, "Other", absl::StrCat("Patient", i), "", "");
  }
  // Before: the AOF holds both (this is what the finding read).
  ASSERT_TRUE(WaitFor([&] { return Found(kErased).size() == 4; }, std::chrono::seconds(5)));

  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());
  EXPECT_EQ(Found(kErased).size(), 4u) << "the erasure alone does not reach the disk";
  EXPECT_EQ(Redis({"ZCARD", common::PendingErasuresKey()}).integer(), 1);

  ErasureRewriter rewriter(*redis_, registry_, {absl::Seconds(2), absl::Milliseconds(200)});
  rewriter.Start();
  rewriter.Start();  // a second Start is a no-op (it used to terminate the process)
  // An erasure recorded in the very millisecond a rewrite starts waits for
  // the next one (min_interval later): wait for the pending count, not a rewrite.
  ASSERT_TRUE(WaitFor(
      [&] {
        return rewriter.metrics().rewrites.Value() >= 1 && rewriter.metrics().pending.Value() == 0;
      },
      std::chrono::seconds(20)));
  rewriter.Stop();

  // Redis unlinks the replaced AOF parts on a background thread just after.
  EXPECT_TRUE(WaitFor([&] { return Found(kErased).empty(); }, std::chrono::seconds(5)))
      << "still on disk: " << absl::StrJoin(Found(kErased), ", ");
  EXPECT_EQ(Found(kKept).size(), 4u) << absl::StrJoin(Found(kKept), ", ");
  EXPECT_EQ(rewriter.metrics().oldest_pending_seconds.Value(), 0);
  EXPECT_EQ(rewriter.metrics().pending.Value(), 0);
  EXPECT_EQ(Redis({"ZCARD", common::PendingErasuresKey()}).integer(), 0);

  // And after a restart Redis loads the rewritten files: kept is still there.
  redis_server_.Stop();
  redis_server_.Start();
  EXPECT_TRUE(Found(kErased).empty());
  EXPECT_EQ(Found(kKept).size(), 4u);
}

TEST_F(ErasureDiskTest, PendingGaugeShowsTheErasureUntilTheRewriteThenReturnsToZero) {
  const v1::Patient erased = CreateWith(kErased);
  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());
  // A repeated erasure is OK and records another entry: entries are random
  // tokens, nothing derived from the patient (not even a digest).
  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());
  EXPECT_EQ(Redis({"ZCARD", common::PendingErasuresKey()}).integer(), 2);
  const std::string members =
      Redis({"ZRANGE", common::PendingErasuresKey(), "0", "-1"}).DebugString();
  EXPECT_EQ(members.find(erased.id()), std::string::npos) << "no patient id in clear";
  const common::RedisReply both = Redis({"ZRANGE", common::PendingErasuresKey(), "0", "-1"});
  ASSERT_EQ(both.elements().size(), 2u);
  EXPECT_NE(both.elements()[0].str(), both.elements()[1].str()) << "random, not a digest";

  ErasureRewriter rewriter(*redis_, registry_, {absl::Seconds(2), absl::Milliseconds(500)});
  EXPECT_EQ(rewriter.metrics().within_seconds.Value(), 2);
  // A rewrite just started elsewhere: not due yet, but the age is reported.
  const common::RedisReply now = Redis({"TIME"});
  ASSERT_TRUE(now.is_array());
  Redis({"SET", common::LastErasureRewriteKey(),
         absl::StrCat(std::stoll(now.elements()[0].str()) * 1000 +
                      std::stoll(now.elements()[1].str()) / 1000)});
  ASSERT_TRUE(WaitFor(
      [&] {
        EXPECT_TRUE(rewriter.RunOnce().ok());
        return rewriter.metrics().oldest_pending_seconds.Value() >= 0.1;
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(rewriter.metrics().pending.Value(), 2);
  EXPECT_EQ(rewriter.metrics().rewrites.Value(), 0);

  // Once min_interval has passed, one look rewrites and clears it.
  ASSERT_TRUE(WaitFor(
      [&] {
        EXPECT_TRUE(rewriter.RunOnce().ok());
        return rewriter.metrics().rewrites.Value() == 1;
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(rewriter.metrics().oldest_pending_seconds.Value(), 0);
  EXPECT_EQ(rewriter.metrics().pending.Value(), 0);
  EXPECT_GT(rewriter.metrics().last_rewrite_seconds.Value(), 0);
  EXPECT_EQ(Redis({"EXISTS", common::ErasureRewriteLockKey()}).integer(), 0) << "lock released";
}

TEST_F(ErasureDiskTest, RefusedRewriteIsCountedAndTheErasureStaysPending) {
  // A managed Redis whose ACL forbids BGREWRITEAOF.
  ASSERT_FALSE(
      Redis({"ACL", "SETUSER", "app", "on", ">app-secret", "~*", "&*", "+@all", "-bgrewriteaof"})
          .is_error());
  common::RedisOptions options = *common::ParseRedisUrl(redis_server_.url());
  options.username = "app";
  options.password = "app-secret";
  common::RedisClient limited(options);

  const v1::Patient erased = CreateWith(kErased);
  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());
  ErasureRewriter rewriter(limited, registry_, {absl::Seconds(2), absl::Milliseconds(200)});
  const absl::Status status = rewriter.RunOnce();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("NOPERM"), std::string::npos) << status;
  EXPECT_EQ(rewriter.metrics().refused.Value(), 1);
  EXPECT_EQ(rewriter.metrics().rewrites.Value(), 0);
  EXPECT_EQ(rewriter.metrics().pending.Value(), 1);
  EXPECT_EQ(Redis({"ZCARD", common::PendingErasuresKey()}).integer(), 1)
      << "never silently cleared";
  EXPECT_EQ(Redis({"EXISTS", common::ErasureRewriteLockKey()}).integer(), 0) << "lock released";
}

TEST_F(ErasureDiskTest, RdbSnapshotIsReplacedWhenSnapshotsAreConfigured) {
  ASSERT_FALSE(Redis({"CONFIG", "SET", "save", "3600 1"}).is_error());
  const v1::Patient erased = CreateWith(kErased);
  CreateWith(kKept);
  ASSERT_FALSE(Redis({"SAVE"}).is_error());  // a snapshot that holds both
  const fs::path rdb = fs::path(redis_server_.dir()) / "dump.rdb";
  ASSERT_TRUE(fs::exists(rdb));
  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());

  ErasureRewriter rewriter(*redis_, registry_, {absl::Seconds(2), absl::Milliseconds(200)});
  ASSERT_TRUE(WaitFor(
      [&] {
        EXPECT_TRUE(rewriter.RunOnce().ok());
        return rewriter.metrics().pending.Value() == 0;
      },
      std::chrono::seconds(5)));
  EXPECT_TRUE(Found(kErased).empty()) << absl::StrJoin(Found(kErased), ", ");
  EXPECT_EQ(Found(kKept).size(), 4u);
  std::ifstream in(rdb, std::ios::binary);
  std::stringstream snapshot;
  snapshot << in.rdbuf();
  EXPECT_NE(snapshot.str().find(kKept.email), std::string::npos) << "a new snapshot was taken";
}

TEST_F(ErasureDiskTest, WithoutPersistenceNothingIsWrittenToDisk) {
  ASSERT_FALSE(Redis({"CONFIG", "SET", "appendonly", "no"}).is_error());
  const v1::Patient erased = CreateWith(kErased);
  ASSERT_TRUE(Delete(kStaffA, erased.id(), erased.etag()).ok());
  ErasureRewriter rewriter(*redis_, registry_, {absl::Seconds(2), absl::Milliseconds(200)});
  EXPECT_TRUE(WaitFor(
      [&] {
        EXPECT_TRUE(rewriter.RunOnce().ok());
        return rewriter.metrics().pending.Value() == 0;
      },
      std::chrono::seconds(5)));
  EXPECT_FALSE(fs::exists(fs::path(redis_server_.dir()) / "dump.rdb"))
      << "no snapshot where Redis keeps none";
}

TEST_F(ErasureDiskTest, TwoReplicasRewriteOnceForABurstOfErasures) {
  int64_t last_score = 0;
  for (int i = 0; i < 10; ++i) {
    const v1::Patient p = CreateNamed(kStaffA, "Burst", absl::StrCat("Patient", i), "", "");
    ASSERT_TRUE(Delete(kStaffA, p.id(), p.etag()).ok());
  }
  const common::RedisReply newest =
      Redis({"ZRANGE", common::PendingErasuresKey(), "-1", "-1", "WITHSCORES"});
  ASSERT_EQ(newest.elements().size(), 2u);
  last_score = std::stoll(newest.elements()[1].str());
  // Past the millisecond of the last erasure, so one rewrite covers all ten.
  ASSERT_TRUE(WaitFor(
      [&] {
        const common::RedisReply t = Redis({"TIME"});
        return std::stoll(t.elements()[0].str()) * 1000 + std::stoll(t.elements()[1].str()) / 1000 >
               last_score;
      },
      std::chrono::seconds(1)));

  prometheus::Registry other_registry;
  ErasureRewriter a(*redis_, registry_, {absl::Seconds(4), absl::Seconds(2)});
  ErasureRewriter b(*redis_, other_registry, {absl::Seconds(4), absl::Seconds(2)});
  a.Start();
  b.Start();
  // (The gauges start at 0: wait for the rewrite, then for both to see it.)
  ASSERT_TRUE(WaitFor(
      [&] {
        return a.metrics().rewrites.Value() + b.metrics().rewrites.Value() >= 1 &&
               a.metrics().pending.Value() == 0 && b.metrics().pending.Value() == 0;
      },
      std::chrono::seconds(10)));
  a.Stop();
  b.Stop();
  EXPECT_EQ(a.metrics().rewrites.Value() + b.metrics().rewrites.Value(), 1);
  EXPECT_EQ(a.metrics().refused.Value() + a.metrics().failed.Value() + b.metrics().failed.Value(),
            0);
}

}  // namespace
}  // namespace dermaflow::patient::testing
