#include "common/redis/internal/cluster_transport.h"

#include <algorithm>
#include <cassert>
#include <optional>
#include <utility>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/redis/hash_slot.h"
#include "common/redis/internal/cluster_error.h"
#include "common/redis/internal/command_route.h"
#include "common/status/macros.h"

namespace dermaflow::common::redis_internal {
namespace {

// A burst of MOVED (a resharding, a fail-over) reloads the map once, not
// once per command; each MOVED already fixes its own slot at once.
constexpr absl::Duration kMinRefreshInterval = absl::Milliseconds(100);
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(10);
constexpr absl::Duration kMaxBackoff = absl::Milliseconds(200);

const std::vector<std::string>& AskingCommand() {
  static const auto* const kAsking = new std::vector<std::string>{"ASKING"};
  return *kAsking;
}

}  // namespace

struct ClusterTransport::Job {
  const std::vector<std::string>* argv = nullptr;
  int slot = -1;  // -1: keyless
  PoolPtr pool;
  bool asking = false;
  int redirections = 0;
  RedisReply reply;
};

ClusterTransport::ClusterTransport(RedisOptions options, RedisMetrics* metrics)
    : options_(std::move(options)), metrics_(metrics) {}

absl::StatusOr<std::vector<RedisReply>> ClusterTransport::Execute(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  if (commands.empty()) return std::vector<RedisReply>();
  const absl::Time deadline = absl::Now() + timeout;
  // Every command is routed before any is sent: a refused one refuses the
  // whole call, so nothing of it runs.
  std::vector<CommandRoute> routes;
  routes.reserve(commands.size());
  for (const std::vector<std::string>& command : commands) {
    absl::StatusOr<CommandRoute> route = RouteCommand(command);
    if (!route.ok()) {
      // A bug in the caller, not bad input: loud in debug builds.
      assert(!IsCrossSlotRefusal(route.status()) &&
             "a multi-key Redis command or script crosses hash slots");
      return route.status();
    }
    if (route->target == CommandRoute::Target::kScan) {
      if (commands.size() != 1) {
        return absl::InvalidArgumentError(
            "redis cluster: SCAN walks every node in turn, so it cannot be part of a pipeline");
      }
      return Scan(command, timeout);
    }
    routes.push_back(*route);
  }
  DF_RETURN_IF_ERROR(EnsureMap());

  // One job per command, or one per primary for commands every node runs
  // (their replies are folded into one below).
  std::vector<size_t> first_job(commands.size() + 1);
  std::vector<Job> jobs;
  jobs.reserve(commands.size());
  {
    // One look at the map for the whole call.
    absl::ReaderMutexLock lock(&mu_);
    for (size_t i = 0; i < commands.size(); ++i) {
      first_job[i] = jobs.size();
      const CommandRoute& route = routes[i];
      if (route.target == CommandRoute::Target::kEveryPrimary) {
        for (const PoolPtr& pool : primary_pools_) {
          jobs.push_back(Job{.argv = &commands[i], .pool = pool});
        }
        continue;
      }
      Job job{.argv = &commands[i], .slot = route.slot};
      job.pool = route.target == CommandRoute::Target::kSlot ? OwnerPoolLocked(route.slot)
                                                             : AnyPoolLocked();
      jobs.push_back(std::move(job));
    }
  }
  first_job[commands.size()] = jobs.size();

  std::vector<Job*> pending;
  pending.reserve(jobs.size());
  for (Job& job : jobs) pending.push_back(&job);
  absl::Duration backoff = kFirstBackoff;
  for (bool first = true; !pending.empty(); first = false) {
    // Retries get what is left of the caller's time, never more.
    const absl::Duration round_timeout =
        first ? timeout : std::max(deadline - absl::Now(), absl::Milliseconds(1));
    if (absl::Status status = RunRound(pending, round_timeout); !status.ok()) {
      MarkStale();
      return status;
    }
    pending = FollowRedirections(pending, deadline, backoff);
  }

  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    // A command every primary ran answers with the first node's reply, or
    // the first error if one node refused it (PING then fails as a whole).
    size_t chosen = first_job[i];
    for (size_t j = first_job[i]; j < first_job[i + 1]; ++j) {
      if (jobs[j].reply.is_error()) {
        chosen = j;
        break;
      }
    }
    if (chosen == first_job[i + 1]) {
      replies.push_back(RedisReply::Error("CLUSTERDOWN no primary is known"));
    } else {
      replies.push_back(std::move(jobs[chosen].reply));
    }
  }
  return replies;
}

absl::StatusOr<std::vector<RedisReply>> ClusterTransport::ExecuteTogether(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  if (commands.empty()) return std::vector<RedisReply>();
  absl::StatusOr<CommandRoute> route = RouteCommand(commands.front());
  if (!route.ok()) return route.status();
  if (route->target != CommandRoute::Target::kSlot) {
    return absl::InvalidArgumentError("redis cluster: commands sent together need a key first");
  }
  const absl::Time deadline = absl::Now() + timeout;
  // An attempt needs room for the WAIT at its end: one started with less
  // would time out after the script ran, a "may have run" answer where
  // "did not run" was still possible.
  const absl::Duration attempt_needs = options_.durable_timeout + absl::Milliseconds(100);
  absl::Duration backoff = kFirstBackoff;
  absl::BitGen jitter;
  for (int moves = 0, attempt = 0;; ++attempt) {
    DF_RETURN_IF_ERROR(EnsureMap());
    if (attempt > 0 && deadline - absl::Now() < attempt_needs) {
      return absl::UnavailableError(
          absl::StrCat("redis cluster: slot ", route->slot,
                       " could not be served within the deadline (not sent again)"));
    }
    PoolPtr pool = OwnerPool(route->slot);
    absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
    if (!lease.ok()) {
      MarkStale();
      return lease.status();
    }
    absl::StatusOr<std::vector<RedisReply>> replies =
        (*lease)->Execute(commands, std::max(deadline - absl::Now(), absl::Milliseconds(1)));
    if (!replies.ok()) {
      MarkStale();
      return replies;
    }
    // The first command's node did not own the slot (or could not serve it
    // yet): nothing of the batch ran there; all of it goes again.
    const ClusterError error = ClassifyClusterError(replies->front());
    if (error.kind == ClusterError::Kind::kNone) return replies;
    if (metrics_ != nullptr) metrics_->OnClusterRedirection(ClusterErrorLabel(error.kind));
    if (error.kind == ClusterError::Kind::kMoved) {
      NoteMoved(error.slot, error.node);
      ++moves;
    }
    // ASK is waited out like TRYAGAIN: ASKING covers only the next command,
    // and the probe's INCR on the importing node would create a key there
    // that the rest of the migration then refuses (BUSYKEY). A slot
    // migration ends within the deadline; MOVED then names the new owner.
    // (A slot stuck migrating needs `redis-cli --cluster fix`.) Only MOVED
    // and CLUSTERDOWN say the map may be wrong.
    if (error.kind == ClusterError::Kind::kMoved ||
        error.kind == ClusterError::Kind::kClusterDown) {
      MarkStale();
    }
    if (moves >= options_.cluster_max_redirections ||
        deadline - absl::Now() < backoff + attempt_needs) {
      return absl::UnavailableError(
          absl::StrCat("redis cluster: slot ", route->slot,
                       " could not be served within the deadline: ", replies->front().str()));
    }
    absl::SleepFor(backoff * absl::Uniform(jitter, 0.5, 1.0));
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

absl::StatusOr<std::vector<RedisNodeReply>> ClusterTransport::ExecuteOnEveryPrimary(
    const std::vector<std::string>& command, absl::Duration timeout) {
  DF_RETURN_IF_ERROR(EnsureMap());
  std::vector<PoolPtr> pools;
  {
    absl::ReaderMutexLock lock(&mu_);
    pools = primary_pools_;
  }
  std::vector<RedisNodeReply> replies;
  replies.reserve(pools.size());
  // Declared after the pools, so each lease goes back before its pool.
  std::vector<std::optional<ConnectionPool::Lease>> leases(pools.size());
  const std::vector<const std::vector<std::string>*> batch = {&command};
  // Write to every node first, then read: the nodes work in parallel.
  for (size_t i = 0; i < pools.size(); ++i) {
    replies.push_back(RedisNodeReply{.node = pools[i]->node(), .reply = absl::UnknownError("")});
    absl::StatusOr<ConnectionPool::Lease> lease = pools[i]->Acquire();
    if (!lease.ok()) {
      replies[i].reply = lease.status();
      continue;
    }
    leases[i].emplace(*std::move(lease));
    if (absl::Status sent = (*leases[i])->Send(batch, timeout); !sent.ok()) {
      replies[i].reply = sent;
      leases[i].reset();
    }
  }
  bool failed = false;
  for (size_t i = 0; i < pools.size(); ++i) {
    if (leases[i].has_value()) {
      absl::StatusOr<std::vector<RedisReply>> received = (*leases[i])->Receive(1, timeout);
      if (received.ok()) {
        replies[i].reply = std::move(received->front());
      } else {
        replies[i].reply = received.status();
      }
    }
    failed = failed || !replies[i].reply.ok();
  }
  if (failed) MarkStale();  // the node may have failed over
  return replies;
}

absl::StatusOr<RedisReply> ClusterTransport::ExecuteOnPrimary(
    const std::string& node, const std::vector<std::string>& command, absl::Duration timeout) {
  DF_RETURN_IF_ERROR(EnsureMap());
  PoolPtr pool;
  {
    absl::ReaderMutexLock lock(&mu_);
    for (const PoolPtr& primary : primary_pools_) {
      if (primary->node() == node) pool = primary;
    }
  }
  if (pool == nullptr) return NotAPrimaryInUse(node);
  absl::StatusOr<std::vector<RedisReply>> replies;
  if (absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire(); lease.ok()) {
    replies = (*lease)->Execute({command}, timeout);
  } else {
    replies = lease.status();
  }
  if (!replies.ok()) {
    MarkStale();
    return replies.status();
  }
  return std::move(replies->front());
}

absl::Status ClusterTransport::RunRound(const std::vector<Job*>& jobs, absl::Duration timeout) {
  // The pool is declared before the lease so the lease is returned first.
  struct Group {
    PoolPtr pool;
    std::optional<ConnectionPool::Lease> lease;
    std::vector<Job*> jobs;
    std::vector<const std::vector<std::string>*> batch;
    absl::Status status;
  };
  std::vector<Group> groups;
  for (Job* job : jobs) {
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const Group& g) { return g.pool == job->pool; });
    if (group == groups.end()) {
      groups.push_back(Group{.pool = job->pool});
      group = groups.end() - 1;
    }
    group->jobs.push_back(job);
    if (job->asking) group->batch.push_back(&AskingCommand());
    group->batch.push_back(job->argv);
  }
  // Write to every node first, then read: the nodes work in parallel.
  for (Group& group : groups) {
    if (group.pool == nullptr) {
      group.status = absl::UnavailableError("redis cluster: no primary is known");
      continue;
    }
    absl::StatusOr<ConnectionPool::Lease> lease = group.pool->Acquire();
    if (!lease.ok()) {
      group.status = lease.status();
      continue;
    }
    group.lease.emplace(*std::move(lease));
    group.status = (*group.lease)->Send(group.batch, timeout);
  }
  absl::Status first_error;
  for (Group& group : groups) {
    if (group.status.ok()) {
      absl::StatusOr<std::vector<RedisReply>> replies =
          (*group.lease)->Receive(group.batch.size(), timeout);
      if (replies.ok()) {
        size_t next = 0;
        for (Job* job : group.jobs) {
          if (job->asking) ++next;  // ASKING's own +OK
          job->reply = std::move((*replies)[next++]);
        }
        continue;
      }
      group.status = replies.status();
    }
    if (first_error.ok()) first_error = group.status;
  }
  return first_error;
}

std::vector<ClusterTransport::Job*> ClusterTransport::FollowRedirections(
    const std::vector<Job*>& jobs, absl::Time deadline, absl::Duration& backoff) {
  std::vector<Job*> again;    // to another node now
  std::vector<Job*> waiting;  // to the same slot after a pause
  for (Job* job : jobs) {
    ClusterError error = ClassifyClusterError(job->reply);
    if (error.kind == ClusterError::Kind::kNone) continue;
    if (metrics_ != nullptr) metrics_->OnClusterRedirection(ClusterErrorLabel(error.kind));
    // Redirections are counted (a map that keeps sending the command on);
    // waits for a migration or a fail-over to end are bounded by the
    // deadline alone, as neither ends after a number of tries.
    const bool redirected =
        error.kind == ClusterError::Kind::kMoved || error.kind == ClusterError::Kind::kAsk;
    if ((redirected && job->redirections >= options_.cluster_max_redirections) ||
        absl::Now() >= deadline) {
      continue;  // the caller gets the node's error reply
    }
    if (redirected) ++job->redirections;
    job->asking = false;
    if (error.node.host.empty()) error.node.host = job->pool->options().host;
    switch (error.kind) {
      case ClusterError::Kind::kMoved:
        NoteMoved(error.slot, error.node);
        job->pool = PoolFor(error.node);
        again.push_back(job);
        break;
      case ClusterError::Kind::kAsk:
        job->pool = PoolFor(error.node);
        job->asking = true;
        again.push_back(job);
        break;
      default:  // TRYAGAIN, CLUSTERDOWN
        if (job->slot >= 0) job->pool = OwnerPool(job->slot);
        waiting.push_back(job);
        break;
    }
  }
  if (waiting.empty()) return again;
  static thread_local absl::BitGen random;
  const absl::Duration pause = backoff * absl::Uniform(random, 0.5, 1.0);
  backoff = std::min(backoff * 2, kMaxBackoff);
  // No time left to wait: those keep their TRYAGAIN/CLUSTERDOWN reply.
  if (absl::Now() + pause >= deadline) return again;
  absl::SleepFor(pause);
  again.insert(again.end(), waiting.begin(), waiting.end());
  return again;
}

absl::Status ClusterTransport::EnsureMap() {
  bool have_map = false;
  {
    absl::ReaderMutexLock lock(&mu_);
    have_map = !map_.primaries().empty();
    if (have_map && (!stale_ || absl::Now() - last_refresh_ < kMinRefreshInterval)) {
      return absl::OkStatus();
    }
  }
  if (have_map) {
    // One caller reloads; the others go on with the map they have rather
    // than wait (a reload may have to try a node that is down).
    if (!refresh_mu_.TryLock()) return absl::OkStatus();
    Refresh().IgnoreError();  // an old map beats none; commands' errors say what is wrong
    refresh_mu_.Unlock();
    return absl::OkStatus();
  }
  absl::MutexLock refresh(&refresh_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (!map_.primaries().empty()) return absl::OkStatus();  // another caller loaded it
  }
  return Refresh();
}

absl::Status ClusterTransport::Refresh() {
  std::vector<RedisNodeAddress> candidates;
  {
    absl::ReaderMutexLock lock(&mu_);
    candidates = map_.primaries();
  }
  for (const RedisNodeAddress& seed : options_.cluster_seeds) {
    if (std::find(candidates.begin(), candidates.end(), seed) == candidates.end()) {
      candidates.push_back(seed);
    }
  }
  // Nodes with an open idle connection first: they answered lately and
  // cost no connect, whereas a node that is down may cost connect_timeout.
  std::stable_partition(candidates.begin(), candidates.end(), [this](const RedisNodeAddress& node) {
    return PoolFor(node)->HasIdleConnection();
  });
  absl::Status last_error = absl::UnavailableError("no node to ask");
  std::optional<SlotMap> map;
  for (const RedisNodeAddress& node : candidates) {
    PoolPtr pool = PoolFor(node);
    absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
    if (!lease.ok()) {
      last_error = lease.status();
      continue;
    }
    absl::StatusOr<std::vector<RedisReply>> reply =
        (*lease)->Execute({{"CLUSTER", "SLOTS"}}, options_.command_timeout);
    if (!reply.ok()) {
      last_error = reply.status();
      continue;
    }
    const std::string name = RedisNodeName(node);
    if (reply->front().is_error()) {
      // E.g. "ERR This instance has cluster support disabled": a
      // redis+cluster:// URL naming a plain server.
      last_error = absl::UnavailableError(
          absl::StrCat("redis ", name, ": CLUSTER SLOTS refused: ", reply->front().str()));
      continue;
    }
    absl::StatusOr<SlotMap> parsed = ParseClusterSlots(reply->front(), node.host);
    if (!parsed.ok()) {
      last_error = parsed.status();
      continue;
    }
    if (parsed->primaries().empty()) {
      last_error = absl::UnavailableError(
          absl::StrCat("redis ", name, ": the cluster has no slots assigned yet"));
      continue;
    }
    map = *std::move(parsed);
    break;
  }
  absl::MutexLock lock(&mu_);
  last_refresh_ = absl::Now();
  if (!map.has_value()) {
    if (metrics_ != nullptr) metrics_->OnClusterMapRefresh(last_error.code());
    return absl::UnavailableError(
        absl::StrCat("redis cluster: no node answered CLUSTER SLOTS (",
                     absl::StrJoin(candidates, ",",
                                   [](std::string* out, const RedisNodeAddress& node) {
                                     out->append(RedisNodeName(node));
                                   }),
                     "): ", last_error.message()));
  }
  map_ = *std::move(map);
  std::vector<PoolPtr> primaries;
  absl::flat_hash_map<std::string, PoolPtr> kept;
  for (const RedisNodeAddress& node : map_.primaries()) {
    PoolPtr pool = PoolForLocked(node);
    kept.emplace(RedisNodeName(node), pool);
    primaries.push_back(std::move(pool));
  }
  // Pools of nodes that are no longer primaries go (a caller still using
  // one keeps it alive until done); their connections would only hear MOVED.
  pools_ = std::move(kept);
  primary_pools_ = std::move(primaries);
  stale_ = false;
  if (metrics_ != nullptr) {
    metrics_->OnClusterMapRefresh(absl::StatusCode::kOk);
    metrics_->OnClusterPrimaries(static_cast<int>(map_.primaries().size()));
  }
  return absl::OkStatus();
}

void ClusterTransport::MarkStale() {
  absl::MutexLock lock(&mu_);
  stale_ = true;
}

void ClusterTransport::NoteMoved(int slot, const RedisNodeAddress& node) {
  absl::MutexLock lock(&mu_);
  map_.Assign(slot, node);
  while (primary_pools_.size() < map_.primaries().size()) {
    primary_pools_.push_back(PoolForLocked(map_.primaries()[primary_pools_.size()]));
  }
  stale_ = true;
}

ClusterTransport::PoolPtr ClusterTransport::PoolFor(const RedisNodeAddress& node) {
  absl::MutexLock lock(&mu_);
  return PoolForLocked(node);
}

ClusterTransport::PoolPtr ClusterTransport::PoolForLocked(const RedisNodeAddress& node) {
  PoolPtr& pool = pools_[RedisNodeName(node)];
  if (pool == nullptr) {
    RedisOptions options = options_;
    options.mode = RedisMode::kSingle;
    options.host = node.host;
    options.port = node.port;
    options.cluster_seeds.clear();
    pool = std::make_shared<ConnectionPool>(std::move(options), metrics_);
  }
  return pool;
}

ClusterTransport::PoolPtr ClusterTransport::OwnerPool(int slot) {
  absl::ReaderMutexLock lock(&mu_);
  return OwnerPoolLocked(slot);
}

ClusterTransport::PoolPtr ClusterTransport::OwnerPoolLocked(int slot) {
  const int index = map_.OwnerIndexOf(slot);
  return index >= 0 ? primary_pools_[index] : AnyPoolLocked();
}

ClusterTransport::PoolPtr ClusterTransport::AnyPoolLocked() {
  if (primary_pools_.empty()) return PoolPtr();
  return primary_pools_[next_any_.fetch_add(1, std::memory_order_relaxed) % primary_pools_.size()];
}

absl::StatusOr<std::vector<RedisReply>> ClusterTransport::Scan(const std::vector<std::string>& argv,
                                                               absl::Duration timeout) {
  // The cursor handed out is "<slot>-<node cursor>": the node is the owner
  // of <slot>, the lowest slot it owned when its walk began. "0" starts at
  // the first primary and is handed back after the last one.
  if (argv.size() < 2) return absl::InvalidArgumentError("redis cluster: SCAN needs a cursor");
  int slot = 0;
  std::string node_cursor = "0";
  if (argv[1] != "0") {
    const size_t dash = argv[1].find('-');
    if (dash == std::string::npos ||
        !absl::SimpleAtoi(absl::string_view(argv[1]).substr(0, dash), &slot) || slot < 0 ||
        slot >= kRedisClusterSlots) {
      return absl::InvalidArgumentError(
          "redis cluster: SCAN cursor is not one this client handed out");
    }
    node_cursor = argv[1].substr(dash + 1);
  }
  DF_RETURN_IF_ERROR(EnsureMap());
  PoolPtr pool = OwnerPool(slot);
  if (pool == nullptr) return absl::UnavailableError("redis cluster: no primary is known");
  std::vector<std::vector<std::string>> command = {argv};
  command[0][1] = node_cursor;
  DF_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool->Acquire());
  absl::StatusOr<std::vector<RedisReply>> replies = lease->Execute(command, timeout);
  if (!replies.ok()) {
    MarkStale();
    return replies.status();
  }
  RedisReply& reply = replies->front();
  if (!reply.is_array() || reply.elements().size() != 2) return replies;
  const std::string& next = reply.elements()[0].str();
  std::string cursor = "0";
  if (next != "0") {
    cursor = absl::StrCat(slot, "-", next);
  } else {
    absl::ReaderMutexLock lock(&mu_);
    int following = kRedisClusterSlots;
    for (size_t i = 0; i < map_.primaries().size(); ++i) {
      const int first = map_.FirstSlotOf(static_cast<int>(i));
      if (first > slot) following = std::min(following, first);
    }
    if (following < kRedisClusterSlots) cursor = absl::StrCat(following, "-0");
  }
  reply.elements()[0] = RedisReply::String(std::move(cursor));
  return replies;
}

}  // namespace dermaflow::common::redis_internal
