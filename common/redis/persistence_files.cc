#include "common/redis/persistence_files.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(50);
// Starts lost to another fork (Redis's own auto-rewrite, another tool) before
// a node's job counts as failed.
constexpr int kMaxStartAttempts = 3;

bool Contains(const absl::Status& status, const char* text) {
  return status.message().find(text) != absl::string_view::npos;
}

// One background job (AOF rewrite or RDB save) from start to a good finish.
struct BackgroundJob {
  const char* command;      // BGREWRITEAOF | BGSAVE
  const char* last_status;  // INFO field, "ok" after a good run
};
constexpr BackgroundJob kAofRewrite{"BGREWRITEAOF", "aof_last_bgrewrite_status"};
constexpr BackgroundJob kRdbSave{"BGSAVE", "rdb_last_bgsave_status"};

// No fork runs or is queued behind another.
bool Idle(const RedisInfo& info) {
  return InfoField(info, "aof_rewrite_in_progress") != "1" &&
         InfoField(info, "aof_rewrite_scheduled") != "1" &&
         InfoField(info, "rdb_bgsave_in_progress") != "1";
}

// One primary's way through its jobs.
struct NodeProgress {
  NodeRewrite result;
  std::vector<const BackgroundJob*> jobs;  // still to run; the first is the current one
  bool started = false;                    // the current one was started on the node
  int start_attempts = 0;
  bool finished() const { return !result.status.ok() || jobs.empty(); }
};

// One primary's INFO persistence, or why it could not be read.
struct NodeInfo {
  std::string node;
  absl::StatusOr<RedisInfo> info;
};
using NodeInfos = std::vector<NodeInfo>;

// INFO persistence of every primary, in the client's order.
absl::StatusOr<NodeInfos> ReadEveryInfo(RedisClient& redis) {
  DF_ASSIGN_OR_RETURN(std::vector<RedisNodeReply> replies,
                      redis.RunOnEveryPrimary({"INFO", "persistence"}));
  NodeInfos infos;
  for (RedisNodeReply& reply : replies) {
    absl::StatusOr<std::string> text = reply.reply.ok()
                                           ? reply.reply->AsString()
                                           : absl::StatusOr<std::string>(reply.reply.status());
    absl::StatusOr<RedisInfo> info =
        text.ok() ? absl::StatusOr<RedisInfo>(ParseRedisInfo(*text)) : text.status();
    infos.push_back(NodeInfo{.node = std::move(reply.node), .info = std::move(info)});
  }
  return infos;
}

// Snapshots are configured when `save` is not empty; without them Redis
// writes no RDB file, and taking one would put the data on disk. If CONFIG
// is refused we cannot know, so we save anyway.
bool SnapshotsConfigured(const RedisNodeReply& save) {
  if (!save.reply.ok()) {
    LogWarning("CONFIG GET save refused, taking an RDB snapshot anyway",
               {{"node", save.node}, {"error", std::string(save.reply.status().message())}});
    return true;
  }
  return save.reply->elements().size() == 2 && !save.reply->elements()[1].str().empty();
}

absl::Status PrimariesChanged(const std::string& what) {
  return absl::UnavailableError(
      absl::StrCat(what, " during the rewrite (a fail-over?): its files may still hold the data"));
}

// Moves one node on by what its INFO says: a job it finished is checked
// and the next is started once no fork runs there.
void Advance(RedisClient& redis, const RedisInfo& info, NodeProgress& node) {
  if (!Idle(info)) return;  // ours, or one to wait out before ours starts
  if (node.started) {
    const BackgroundJob& done = *node.jobs.front();
    if (InfoField(info, done.last_status) != "ok") {
      node.result.status = absl::InternalError(absl::StrCat(
          done.command, " failed: ", done.last_status, "=", InfoField(info, done.last_status)));
      return;
    }
    (&done == &kAofRewrite ? node.result.aof_rewritten : node.result.rdb_saved) = true;
    node.jobs.erase(node.jobs.begin());
    node.started = false;
    node.start_attempts = 0;
    if (node.jobs.empty()) return;
  }
  const BackgroundJob& job = *node.jobs.front();
  absl::StatusOr<RedisReply> started = redis.RunOnPrimary(node.result.node, {job.command});
  if (started.ok()) {
    node.started = true;
    return;
  }
  // Another fork won the race since the INFO: wait it out and start again.
  const bool raced =
      Contains(started.status(), "in progress") || Contains(started.status(), "child process");
  if (raced && ++node.start_attempts < kMaxStartAttempts) return;
  node.result.status = absl::Status(started.status().code(),
                                    absl::StrCat(job.command, ": ", started.status().message()));
}

// Each primary's jobs, by its own INFO persistence and `save`.
std::vector<NodeProgress> PlanJobs(const NodeInfos& infos,
                                   const std::vector<RedisNodeReply>& saves) {
  std::vector<NodeProgress> nodes;
  for (const NodeInfo& info : infos) {
    NodeProgress& progress = nodes.emplace_back();
    progress.result.node = info.node;
    const auto save = std::find_if(saves.begin(), saves.end(),
                                   [&](const RedisNodeReply& s) { return s.node == info.node; });
    if (!info.info.ok()) {
      progress.result.status = info.info.status();
    } else if (save == saves.end()) {
      progress.result.status =
          PrimariesChanged(absl::StrCat(info.node, " stopped being a primary"));
    } else {
      if (InfoField(*info.info, "aof_enabled") == "1") progress.jobs.push_back(&kAofRewrite);
      if (SnapshotsConfigured(*save)) progress.jobs.push_back(&kRdbSave);
    }
  }
  return nodes;
}

// The progress of `node`; a node not among them is a replica promoted
// since the start, whose files were never rewritten: added as failed.
NodeProgress* Follow(const std::string& node, std::vector<NodeProgress>& nodes) {
  for (NodeProgress& progress : nodes) {
    if (progress.result.node == node) return &progress;
  }
  NodeProgress& added = nodes.emplace_back();
  added.result.node = node;
  added.result.status = PrimariesChanged(absl::StrCat(node, " became a primary"));
  return &added;
}

// A node no longer among the primaries can no longer be watched.
void FailThoseGone(const NodeInfos& infos, std::vector<NodeProgress>& nodes) {
  for (NodeProgress& progress : nodes) {
    const bool listed = std::any_of(infos.begin(), infos.end(), [&](const NodeInfo& info) {
      return info.node == progress.result.node;
    });
    if (!listed && !progress.finished()) {
      progress.result.status =
          PrimariesChanged(absl::StrCat(progress.result.node, " stopped being a primary"));
    }
  }
}

void FailUnfinished(const absl::Status& status, std::vector<NodeProgress>& nodes) {
  for (NodeProgress& progress : nodes) {
    if (!progress.finished()) progress.result.status = status;
  }
}

}  // namespace

RedisInfo ParseRedisInfo(absl::string_view text) {
  RedisInfo info;
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\r\n"), absl::SkipEmpty())) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || line[0] == '#') continue;
    info.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  return info;
}

std::string InfoField(const RedisInfo& info, const std::string& key) {
  auto it = info.find(key);
  return it == info.end() ? "" : it->second;
}

bool IsRefusedCommand(const absl::Status& status) {
  return Contains(status, "NOPERM") || Contains(status, "unknown command") ||
         Contains(status, "no permissions");
}

bool AllRewritten(const std::vector<NodeRewrite>& nodes) {
  return std::all_of(nodes.begin(), nodes.end(),
                     [](const NodeRewrite& node) { return node.status.ok(); });
}

absl::StatusOr<std::vector<NodeRewrite>> RewritePersistenceFiles(RedisClient& redis,
                                                                 absl::Time deadline,
                                                                 const PauseFn& pause) {
  DF_ASSIGN_OR_RETURN(NodeInfos infos, ReadEveryInfo(redis));
  DF_ASSIGN_OR_RETURN(std::vector<RedisNodeReply> saves,
                      redis.RunOnEveryPrimary({"CONFIG", "GET", "save"}));
  std::vector<NodeProgress> nodes = PlanJobs(infos, saves);
  while (true) {
    for (NodeInfo& info : infos) {
      NodeProgress* progress = Follow(info.node, nodes);
      if (progress->finished()) continue;
      if (!info.info.ok()) {
        progress->result.status = info.info.status();
        continue;
      }
      Advance(redis, *info.info, *progress);
    }
    FailThoseGone(infos, nodes);
    if (std::all_of(nodes.begin(), nodes.end(),
                    [](const NodeProgress& p) { return p.finished(); })) {
      break;
    }
    if (absl::Now() >= deadline) {
      FailUnfinished(
          absl::DeadlineExceededError("Redis's background rewrite did not finish in time"), nodes);
      break;
    }
    if (!pause(kPollInterval)) return absl::CancelledError("stopping");
    absl::StatusOr<NodeInfos> next = ReadEveryInfo(redis);
    if (!next.ok()) {
      FailUnfinished(next.status(), nodes);
      break;
    }
    infos = *std::move(next);
  }
  std::vector<NodeRewrite> results;
  results.reserve(nodes.size());
  for (NodeProgress& progress : nodes) results.push_back(std::move(progress.result));
  return results;
}

}  // namespace dermaflow::common
