// RedisClient on a real Redis Cluster (3 primaries + 3 replicas on
// loopback): routing, pipelines, redirections during slot migrations,
// TRYAGAIN and CLUSTERDOWN, scripts per node, and what is refused locally.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/hash_slot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/common_redis/cluster_test_env.h"
#include "tests/integration/common_redis/lua/add_and_get_lua.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// Polls `done` until true or 10 s pass.
template <typename Condition>
bool Eventually(Condition done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

// Calls made by commandstats on a node, e.g. Calls(info, "mget").
int64_t Calls(const std::string& commandstats, const std::string& command) {
  const std::string field = "cmdstat_" + command + ":calls=";
  const size_t at = commandstats.find(field);
  if (at == std::string::npos) return 0;
  return std::stoll(commandstats.substr(at + field.size()));
}

TEST_F(RedisClusterTest, OurHashSlotsAreTheServers) {
  std::vector<std::string> keys = {"foo",        "somekey",       "{user1000}.following",
                                   "foo{}{bar}", "foo{{bar}}zap", std::string("bin\0{x}\xff", 8)};
  for (int i = 0; i < 200; ++i) keys.push_back(absl::StrCat("df:{org-", i, "}:patient:", i * 7));
  for (const std::string& key : keys) {
    EXPECT_EQ(KeyHashSlot(key), cluster_.KeySlot(key)) << key;
  }
}

TEST_F(RedisClusterTest, TenantsAreSpreadOverEveryPrimaryAndEachKeyLivesOnItsOwner) {
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    const std::string key = absl::StrCat("df:{org-", i, "}:patient:p-", i);
    ASSERT_TRUE(client_->Command({"SET", key, std::to_string(i)}).ok()) << key;
    keys.push_back(key);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(client_->Command({"GET", keys[i]})->AsString().value(), std::to_string(i));
    const int owner = cluster_.PortOwning(cluster_.KeySlot(keys[i]));
    EXPECT_EQ(cluster_.NodeCommand(owner, {"GET", keys[i]}).str(), std::to_string(i)) << keys[i];
  }
  int64_t total = 0;
  const std::vector<int> primaries = cluster_.PrimaryPorts();
  ASSERT_THAT(primaries, SizeIs(3));
  for (int port : primaries) {
    const int64_t size = cluster_.NodeCommand(port, {"DBSIZE"}).integer();
    EXPECT_GT(size, 0) << "primary " << port << " got no tenant";
    total += size;
  }
  EXPECT_EQ(total, 60);
  // The map was loaded once and nothing had to be redirected.
  EXPECT_EQ(metrics_.refreshes(), 1);
  EXPECT_EQ(metrics_.redirections("moved"), 0);
}

TEST_F(RedisClusterTest, PipelineOverSeveralNodesKeepsTheCallersOrder) {
  std::vector<std::vector<std::string>> writes;
  writes.reserve(100);
  for (int i = 0; i < 100; ++i) {
    writes.push_back({"SET", absl::StrCat("df:{org-", i % 30, "}:n:", i), std::to_string(i)});
  }
  absl::StatusOr<std::vector<RedisReply>> written = client_->Pipeline(writes);
  ASSERT_TRUE(written.ok()) << written.status();
  ASSERT_THAT(*written, SizeIs(100));
  for (const RedisReply& reply : *written) EXPECT_EQ(reply.str(), "OK");

  // Reads in reverse, with an error reply and commands for every node mixed in.
  std::vector<std::vector<std::string>> reads;
  for (int i = 99; i >= 0; --i) {
    reads.push_back({"GET", absl::StrCat("df:{org-", i % 30, "}:n:", i)});
    if (i == 50) reads.push_back({"HGET", absl::StrCat("df:{org-", i % 30, "}:n:", i), "f"});
    if (i == 25) reads.push_back({"PING"});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline(reads);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_THAT(*replies, SizeIs(102));
  size_t at = 0;
  for (int i = 99; i >= 0; --i) {
    EXPECT_EQ((*replies)[at++].str(), std::to_string(i));
    if (i == 50) EXPECT_THAT((*replies)[at++].str(), HasSubstr("WRONGTYPE"));
    if (i == 25) EXPECT_EQ((*replies)[at++].str(), "PONG");
  }
}

TEST_F(RedisClusterTest, SlotMovedWhileAClientKeepsWorkingCostsItNoError) {
  const int from = cluster_.PrimaryPorts()[0];
  const int to = OtherPrimary(from);
  const std::string org = OrgOn(from);
  const std::string counter = absl::StrCat("df:{", org, "}:counter");
  const int slot = KeyHashSlot(counter);

  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  std::vector<std::string> errors;
  std::thread worker([&] {
    while (!stop) {
      absl::StatusOr<RedisReply> reply = client_->Command({"INCR", counter});
      if (!reply.ok()) {
        errors.push_back(reply.status().ToString());
      } else {
        ++done;
      }
    }
  });
  ASSERT_TRUE(Eventually([&] { return done >= 20; }));
  cluster_.MoveSlot(slot, to);
  const int after_move = done;
  ASSERT_TRUE(Eventually([&] { return done >= after_move + 20; }));
  stop = true;
  worker.join();

  EXPECT_THAT(errors, SizeIs(0)) << (errors.empty() ? "" : errors.front());
  // Every INCR that succeeded ran exactly once, now on the new owner.
  EXPECT_EQ(cluster_.NodeCommand(to, {"GET", counter}).str(), std::to_string(done.load()));
  EXPECT_GE(metrics_.redirections("moved"), 1);
  // After a MOVED the whole map is reloaded (at most every 100 ms).
  EXPECT_TRUE(Eventually([&] {
    EXPECT_TRUE(client_->Command({"GET", counter}).ok());
    return metrics_.refreshes() >= 2;
  }));
  cluster_.MoveSlot(slot, from);  // back, for the other tests
  EXPECT_TRUE(client_->Command({"GET", counter}).ok());
}

TEST_F(RedisClusterTest, PipelineSendsOnlyItsRedirectedCommandsAgain) {
  const std::vector<int> primaries = cluster_.PrimaryPorts();
  const std::string a = OrgOn(primaries[0]);
  const std::string b = OrgOn(primaries[1]);
  const std::string c = OrgOn(primaries[2]);
  auto key = [](const std::string& org, const char* name) {
    return absl::StrCat("df:{", org, "}:", name);
  };
  ASSERT_TRUE(
      client_
          ->Pipeline(
              {{"SET", key(a, "x"), "a"}, {"SET", key(b, "x"), "b"}, {"SET", key(c, "x"), "c"}})
          .ok());
  // Behind the client's back: a's slot moves to b's primary.
  const int slot = KeyHashSlot(a);
  cluster_.MoveSlot(slot, primaries[1]);
  for (int port : primaries) cluster_.NodeCommand(port, {"CONFIG", "RESETSTAT"});

  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline({{"GET", key(a, "x")},
                                                                       {"GET", key(b, "x")},
                                                                       {"INCR", key(a, "n")},
                                                                       {"GET", key(c, "x")},
                                                                       {"INCR", key(b, "n")}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_THAT(*replies, SizeIs(5));
  EXPECT_EQ((*replies)[0].str(), "a");
  EXPECT_EQ((*replies)[1].str(), "b");
  EXPECT_EQ((*replies)[2].integer(), 1);
  EXPECT_EQ((*replies)[3].str(), "c");
  EXPECT_EQ((*replies)[4].integer(), 1);
  EXPECT_EQ(metrics_.redirections("moved"), 2);
  // The two MOVED commands ran once, on their new node; nothing else twice.
  const std::string old_owner = cluster_.NodeCommand(primaries[0], {"INFO", "commandstats"}).str();
  const std::string new_owner = cluster_.NodeCommand(primaries[1], {"INFO", "commandstats"}).str();
  const std::string third = cluster_.NodeCommand(primaries[2], {"INFO", "commandstats"}).str();
  EXPECT_EQ(Calls(old_owner, "get") + Calls(old_owner, "incr"), 0);
  EXPECT_EQ(Calls(new_owner, "get"), 2);
  EXPECT_EQ(Calls(new_owner, "incr"), 2);
  EXPECT_EQ(Calls(third, "get"), 1);
  cluster_.MoveSlot(slot, primaries[0]);
}

TEST_F(RedisClusterTest, AskDuringAMigrationFollowsOnceAndKeepsTheMap) {
  const int from = cluster_.PrimaryPorts()[1];
  const int to = OtherPrimary(from);
  const std::string org = OrgOn(from);
  const std::string moved_key = absl::StrCat("df:{", org, "}:a");
  const std::string staying_key = absl::StrCat("df:{", org, "}:b");
  const std::string new_key = absl::StrCat("df:{", org, "}:c");
  const int slot = KeyHashSlot(moved_key);
  ASSERT_TRUE(client_->Pipeline({{"SET", moved_key, "A"}, {"SET", staying_key, "B"}}).ok());

  cluster_.BeginMigration(slot, to);
  cluster_.MigrateKeys(slot, {moved_key});
  EXPECT_EQ(client_->Command({"GET", moved_key})->str(), "A");  // ASK -> ASKING + GET on `to`
  EXPECT_EQ(metrics_.redirections("ask"), 1);
  EXPECT_EQ(client_->Command({"GET", staying_key})->str(), "B");  // still served by `from`
  EXPECT_EQ(client_->Command({"GET", moved_key})->str(), "A");    // ASK again: map unchanged
  EXPECT_EQ(metrics_.redirections("ask"), 2);
  // A key that does not exist yet is created where the slot is going.
  ASSERT_TRUE(client_->Command({"SET", new_key, "C"}).ok());
  EXPECT_EQ(metrics_.redirections("ask"), 3);
  EXPECT_EQ(
      cluster_.NodeCommand(to, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}).integer(), 2);
  EXPECT_EQ(metrics_.redirections("moved"), 0);

  cluster_.FinishMigration(slot);
  EXPECT_EQ(client_->Command({"GET", staying_key})->str(), "B");  // MOVED -> `to`
  EXPECT_EQ(metrics_.redirections("moved"), 1);
  cluster_.MoveSlot(slot, from);
}

TEST_F(RedisClusterTest, TryAgainIsRetriedWithinTheDeadlineThenUnavailable) {
  const int from = cluster_.PrimaryPorts()[2];
  const int to = OtherPrimary(from);
  const std::string org = OrgOn(from);
  const std::string a = absl::StrCat("df:{", org, "}:a");
  const std::string b = absl::StrCat("df:{", org, "}:b");
  const int slot = KeyHashSlot(a);
  ASSERT_TRUE(client_->Pipeline({{"SET", a, "1"}, {"SET", b, "2"}}).ok());
  cluster_.BeginMigration(slot, to);
  cluster_.MigrateKeys(slot, {a});  // a multi-key read now spans both nodes: TRYAGAIN

  RedisOptions hurried = Options();
  hurried.command_timeout = absl::Seconds(1);
  std::unique_ptr<RedisClient> hurried_client = NewClient(hurried);
  const absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> stuck = hurried_client->Command({"MGET", a, b});
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(stuck.status().code(), absl::StatusCode::kUnavailable) << stuck.status();
  EXPECT_THAT(std::string(stuck.status().message()), HasSubstr("TRYAGAIN"));
  // Waited (backoff 10..200 ms, halved at most by jitter) past the 5
  // redirections a map may send a command on, until less than one pause of
  // the 1 s was left.
  EXPECT_GT(metrics_.redirections("tryagain"), 6);
  EXPECT_GE(took, absl::Milliseconds(800));
  EXPECT_LT(took, absl::Seconds(1) + absl::Milliseconds(150));

  // When the migration ends while a command waits, the command succeeds.
  const int before = metrics_.redirections("tryagain");
  std::unique_ptr<RedisClient> waiting_client = NewClient(Options());  // 2 s to wait
  absl::StatusOr<RedisReply> waited;
  std::thread reader([&] { waited = waiting_client->Command({"MGET", a, b}); });
  ASSERT_TRUE(Eventually([&] { return metrics_.redirections("tryagain") > before; }));
  cluster_.FinishMigration(slot);
  reader.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  ASSERT_THAT(waited->elements(), SizeIs(2));
  EXPECT_EQ(waited->elements()[0].str(), "1");
  EXPECT_EQ(waited->elements()[1].str(), "2");
  cluster_.MoveSlot(slot, from);
}

TEST_F(RedisClusterTest, ClusterDownIsRetriedWithinTheDeadlineThenUnavailable) {
  const std::string key = "df:{org-1}:x";
  ASSERT_TRUE(client_->Command({"SET", key, "v"}).ok());
  // Another slot loses its owner: with full coverage required, every node
  // answers CLUSTERDOWN for every key.
  const int lost_slot = (KeyHashSlot(key) + 1) % kRedisClusterSlots;
  const int owner = cluster_.PortOwning(lost_slot);
  RedisOptions hurried = Options();
  hurried.command_timeout = absl::Milliseconds(100);
  hurried.cluster_max_redirections = 50;
  std::unique_ptr<RedisClient> hurried_client = NewClient(hurried);
  ASSERT_TRUE(hurried_client->Ping().ok());
  cluster_.UnassignSlot(lost_slot);

  const absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> down = hurried_client->Command({"GET", key});
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable) << down.status();
  EXPECT_THAT(std::string(down.status().message()), HasSubstr("CLUSTERDOWN"));
  // Bounded by the command's 100 ms, not by the 50 redirections allowed.
  EXPECT_LT(took, absl::Milliseconds(100) + absl::Milliseconds(150));
  EXPECT_GE(metrics_.redirections("clusterdown"), 2);
  EXPECT_LT(metrics_.redirections("clusterdown"), 10);

  // A short outage inside a command's retries is invisible to the caller.
  const int before = metrics_.redirections("clusterdown");
  RedisOptions patient = Options();
  patient.cluster_max_redirections = 12;
  std::unique_ptr<RedisClient> patient_client = NewClient(patient);
  absl::StatusOr<RedisReply> waited;
  std::thread reader([&] { waited = patient_client->Command({"GET", key}); });
  ASSERT_TRUE(Eventually([&] { return metrics_.redirections("clusterdown") > before; }));
  cluster_.RestoreSlot(lost_slot, owner);
  reader.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(waited->str(), "v");
}

TEST_F(RedisClusterTest, EvalFallsBackToEvalOnlyOnTheNodeThatLostItsScripts) {
  const LuaScript& script = testing_lua::AddAndGetScript();
  const std::vector<int> primaries = cluster_.PrimaryPorts();
  std::vector<std::string> counters;
  counters.reserve(primaries.size());
  for (int port : primaries) counters.push_back(absl::StrCat("df:{", OrgOn(port), "}:counter"));
  for (const std::string& key : counters) {
    ASSERT_TRUE(client_->Eval(script, {key}, {"1"}).ok()) << key;
  }
  for (int port : primaries) {
    EXPECT_EQ(
        cluster_.NodeCommand(port, {"SCRIPT", "EXISTS", script.sha1()}).elements()[0].integer(), 1)
        << "every node caches the script it ran";
    cluster_.NodeCommand(port, {"CONFIG", "RESETSTAT"});
  }
  cluster_.NodeCommand(primaries[0], {"SCRIPT", "FLUSH"});
  for (const std::string& key : counters) {
    EXPECT_EQ(client_->Eval(script, {key}, {"2"})->AsInt().value(), 3) << key;
  }
  for (size_t i = 0; i < primaries.size(); ++i) {
    const std::string stats = cluster_.NodeCommand(primaries[i], {"INFO", "commandstats"}).str();
    EXPECT_EQ(Calls(stats, "evalsha"), 1) << primaries[i];
    EXPECT_EQ(Calls(stats, "eval"), i == 0 ? 1 : 0) << primaries[i];
    EXPECT_EQ(cluster_.NodeCommand(primaries[i], {"SCRIPT", "EXISTS", script.sha1()})
                  .elements()[0]
                  .integer(),
              1);
  }
}

// In debug builds a cross-slot call is a failed assert (a bug to find in
// tests); in release builds it is refused with INVALID_ARGUMENT.
template <typename Call>
void ExpectRefusedAsCrossSlot(Call call) {
  absl::Status status;
  EXPECT_DEBUG_DEATH(status = call(), "crosses hash slots");
#ifdef NDEBUG
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("different hash slots"));
#endif
}

TEST_F(RedisClusterTest, CrossSlotCommandsAreRefusedBeforeAnythingIsSent) {
  const std::vector<int> primaries = cluster_.PrimaryPorts();
  const std::string a = absl::StrCat("df:{", OrgOn(primaries[0]), "}:x");
  const std::string b = absl::StrCat("df:{", OrgOn(primaries[1]), "}:x");
  ASSERT_TRUE(client_->Ping().ok());
  for (int port : primaries) cluster_.NodeCommand(port, {"CONFIG", "RESETSTAT"});

  ExpectRefusedAsCrossSlot([&] { return client_->Command({"MGET", a, b}).status(); });
  ExpectRefusedAsCrossSlot([&] {
    return client_->Eval(testing_lua::AddAndGetScript(), {a, b}, {"1"}).status();
  });
  // One bad command refuses the whole pipeline: the SET before it is not sent.
  ExpectRefusedAsCrossSlot([&] {
    return client_->Pipeline({{"SET", a, "1"}, {"DEL", a, b}}).status();
  });
  // The notification intake's read of several tenants' streams at once.
  ExpectRefusedAsCrossSlot([&] {
    return client_->Command({"XREADGROUP", "GROUP", "g", "c", "STREAMS", a, b, ">", ">"}).status();
  });

  for (int port : primaries) {
    const std::string stats = cluster_.NodeCommand(port, {"INFO", "commandstats"}).str();
    for (const char* command : {"mget", "evalsha", "eval", "set", "del", "xreadgroup"}) {
      EXPECT_EQ(Calls(stats, command), 0) << command << " reached " << port;
    }
  }
  EXPECT_TRUE(client_->Command({"GET", a})->is_nil());
}

TEST_F(RedisClusterTest, CommandsWithoutARoutingRuleAreRefused) {
  absl::StatusOr<RedisReply> multi = client_->Command({"MULTI"});
  EXPECT_EQ(multi.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(multi.status().message()), HasSubstr("no cluster routing rule"));
}

TEST_F(RedisClusterTest, KeylessCommandsReachAnyOrEveryPrimary) {
  EXPECT_TRUE(client_->Ping().ok());
  EXPECT_THAT(client_->Command({"TIME"})->elements(), SizeIs(2));
  EXPECT_THAT(client_->Command({"INFO", "server"})->str(), HasSubstr("redis_version"));
  ASSERT_TRUE(client_->Command({"SET", "df:{org-1}:x", "1"}).ok());
  ASSERT_TRUE(client_->Command({"SET", "df:{org-2}:x", "1"}).ok());
  ASSERT_TRUE(client_->Command({"FLUSHALL"}).ok());
  for (int port : cluster_.PrimaryPorts()) {
    EXPECT_EQ(cluster_.NodeCommand(port, {"DBSIZE"}).integer(), 0) << port;
  }
}

TEST_F(RedisClusterTest, ScanWalksEveryPrimaryBehindOneCursor) {
  std::set<std::string> written;
  for (int i = 0; i < 90; ++i) {
    const std::string key = absl::StrCat("df:{org-", i, "}:audit:", i);
    ASSERT_TRUE(client_->Command({"SET", key, "1"}).ok());
    written.insert(key);
    ASSERT_TRUE(client_->Command({"SET", absl::StrCat("df:{org-", i, "}:other"), "1"}).ok());
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    absl::StatusOr<RedisReply> page =
        client_->Command({"SCAN", cursor, "MATCH", "df:{*}:audit:*", "COUNT", "20"});
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_THAT(page->elements(), SizeIs(2));
    cursor = page->elements()[0].str();
    for (const RedisReply& key : page->elements()[1].elements()) seen.insert(key.str());
    ASSERT_LT(++calls, 1000);
  } while (cursor != "0");
  EXPECT_EQ(seen, written);
  absl::StatusOr<RedisReply> bad = client_->Command({"SCAN", "17"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClusterTest, TimeoutIsNotRetriedAndReloadsTheMap) {
  // INCRs, then keeps the node busy for 300 ms: past the client's timeout,
  // but the INCR has run. A retry would run it again.
  const LuaScript slow_incr("slow_incr", R"lua(
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
redis.call('INCR', KEYS[1])
repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 300000
return 1
)lua");
  const int port = cluster_.PrimaryPorts()[0];
  const std::string key = absl::StrCat("df:{", OrgOn(port), "}:n");
  RedisOptions hurried = Options();
  hurried.command_timeout = absl::Milliseconds(150);
  std::unique_ptr<RedisClient> hurried_client = NewClient(hurried);
  ASSERT_TRUE(hurried_client->Command({"SCRIPT", "LOAD", slow_incr.source()}).ok());
  const int refreshes = metrics_.refreshes();

  absl::StatusOr<RedisReply> timed_out = hurried_client->Eval(slow_incr, {key}, {});
  EXPECT_EQ(timed_out.status().code(), absl::StatusCode::kUnavailable) << timed_out.status();
  EXPECT_THAT(std::string(timed_out.status().message()), HasSubstr("timed out"));
  // Answered once the script is done (the node runs one command at a time).
  EXPECT_EQ(cluster_.NodeCommand(port, {"GET", key}).str(), "1");
  // The next command first reloads the map (the node might have failed over).
  EXPECT_EQ(hurried_client->Command({"INCR", key})->integer(), 2);
  EXPECT_EQ(metrics_.refreshes(), refreshes + 1);
}

TEST_F(RedisClusterTest, DurableWritesWaitForTheReplicaOfTheTenantsOwnPrimary) {
  // The probe write and WAIT go with the script to the tenant's node, on its
  // connection; every primary here has one replica.
  RedisOptions durable = Options();
  durable.durable_replicas = 1;
  std::unique_ptr<RedisClient> client = NewClient(durable);
  // Right after the cluster formed, replicas stream only from their first
  // ACK (up to a second after their sync).
  ASSERT_TRUE(Eventually([&] {
    for (int org = 0; org < 12; ++org) {
      if (!client->ConfirmReplicated("df:{durable-" + std::to_string(org) + "}:n").ok())
        return false;
    }
    return true;
  }));
  for (int org = 0; org < 12; ++org) {
    const std::string key = "df:{durable-" + std::to_string(org) + "}:n";
    absl::StatusOr<RedisReply> reply =
        client->Eval(testing_lua::AddAndGetScript(), {key}, {"2"}, Durability::kReplicated);
    ASSERT_TRUE(reply.ok()) << key << ": " << reply.status();
    EXPECT_EQ(reply->integer(), 2);
    EXPECT_TRUE(client->ConfirmReplicated(key).ok()) << key;
  }
}

TEST_F(RedisClusterTest, DurableWriteDuringAMigrationWaitsForItToEnd) {
  RedisOptions durable = Options();
  durable.durable_replicas = 1;
  std::unique_ptr<RedisClient> client = NewClient(durable);
  const int from = cluster_.PrimaryPorts()[0];
  const int to = OtherPrimary(from);
  const std::string key = absl::StrCat("df:{", OrgOn(from), "}:n");
  const int slot = KeyHashSlot(key);
  ASSERT_TRUE(Eventually([&] { return client->ConfirmReplicated(key).ok(); }));
  ASSERT_TRUE(
      client->Eval(testing_lua::AddAndGetScript(), {key}, {"2"}, Durability::kReplicated).ok());

  // The script's key has gone ahead, the replication probe not yet: the old
  // node answers ASK, and the script, probe and WAIT (sent together) must
  // not be split over two nodes. The write waits until the slot has moved.
  cluster_.BeginMigration(slot, to);
  cluster_.MigrateKeys(slot, {key});
  absl::StatusOr<RedisReply> waited;
  std::thread writer([&] {
    waited = client->Eval(testing_lua::AddAndGetScript(), {key}, {"1"}, Durability::kReplicated);
  });
  // More ASKs than the 5 redirections a command may follow.
  const bool waited_past_the_redirections =
      Eventually([&] { return metrics_.redirections("ask") > 6; });
  cluster_.FinishMigration(slot);
  writer.join();
  EXPECT_TRUE(waited_past_the_redirections);
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(waited->integer(), 3);
  EXPECT_EQ(cluster_.NodeCommand(to, {"GET", key}).str(), "3");
  cluster_.MoveSlot(slot, from);
}

TEST_F(RedisClusterTest, ManyThreadsOverManyTenants) {
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        const std::string key = absl::StrCat("df:{org-", (t * 150 + i) % 40, "}:c");
        if (!client_->Command({"INCR", key}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  int64_t sum = 0;
  for (int i = 0; i < 40; ++i) {
    sum += client_->Command({"GET", absl::StrCat("df:{org-", i, "}:c")})->AsInt().value();
  }
  EXPECT_EQ(sum, 600);
}

TEST(RedisClusterUrlTest, ClusterUrlOnAPlainServerSaysSo) {
  testing::RedisServer plain;
  std::unique_ptr<RedisClient> client =
      RedisClient::Create(
          ParseRedisUrl(absl::StrCat("redis+cluster://127.0.0.1:", plain.port())).value())
          .value();
  absl::StatusOr<RedisReply> reply = client->Command({"GET", "k"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("cluster support disabled"));
}

TEST(RedisClusterUrlTest, NoSeedAnsweringIsUnavailableNamingTheSeeds) {
  const int port = testing::PickFreePort();
  std::unique_ptr<RedisClient> client =
      RedisClient::Create(ParseRedisUrl(absl::StrCat("redis+cluster://127.0.0.1:", port)).value())
          .value();
  absl::Status status = client->Ping();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr(absl::StrCat("127.0.0.1:", port)));
}

}  // namespace
}  // namespace dermaflow::common
