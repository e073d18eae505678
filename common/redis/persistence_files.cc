#include "common/redis/persistence_files.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

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

absl::StatusOr<RedisInfo> WaitIdle(RedisClient& redis, absl::Time deadline, const PauseFn& pause) {
  while (true) {
    DF_ASSIGN_OR_RETURN(RedisInfo info, ReadRedisInfo(redis, "persistence"));
    if (Idle(info)) return info;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError("Redis's background rewrite did not finish in time");
    }
    if (!pause(absl::Milliseconds(50))) return absl::CancelledError("stopping");
  }
}

// Starts `job` after any fork already running and waits for a good finish.
absl::Status RunJob(RedisClient& redis, const BackgroundJob& job, absl::Time deadline,
                    const PauseFn& pause) {
  for (int attempt = 0;; ++attempt) {
    DF_RETURN_IF_ERROR(WaitIdle(redis, deadline, pause).status());
    absl::StatusOr<RedisReply> started = redis.Command({job.command});
    if (started.ok()) break;
    // Another fork (Redis's own auto-rewrite, another tool) won the race.
    if (!Contains(started.status(), "in progress") || attempt >= 3) {
      return absl::Status(started.status().code(),
                          absl::StrCat(job.command, ": ", started.status().message()));
    }
  }
  DF_ASSIGN_OR_RETURN(RedisInfo done, WaitIdle(redis, deadline, pause));
  if (InfoField(done, job.last_status) != "ok") {
    return absl::InternalError(absl::StrCat(job.command, " failed: ", job.last_status, "=",
                                            InfoField(done, job.last_status)));
  }
  return absl::OkStatus();
}

// Snapshots are configured when `save` is not empty; without them Redis
// writes no RDB file, and taking one would put the data on disk. If CONFIG
// is refused we cannot know, so we save anyway.
bool SnapshotsConfigured(RedisClient& redis) {
  absl::StatusOr<RedisReply> save = redis.Command({"CONFIG", "GET", "save"});
  if (!save.ok()) {
    LogWarning("CONFIG GET save refused, taking an RDB snapshot anyway",
               {{"error", std::string(save.status().message())}});
    return true;
  }
  return save->elements().size() == 2 && !save->elements()[1].str().empty();
}

}  // namespace

absl::StatusOr<RedisInfo> ReadRedisInfo(RedisClient& redis, const std::string& section) {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis.Command({"INFO", section}));
  DF_ASSIGN_OR_RETURN(std::string text, reply.AsString());
  RedisInfo info;
  const std::vector<std::string> lines =
      absl::StrSplit(text, absl::ByAnyChar("\r\n"), absl::SkipEmpty());
  for (const std::string& line : lines) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos || line[0] == '#') continue;
    info.emplace(line.substr(0, colon), line.substr(colon + 1));
  }
  return info;
}

std::string InfoField(const RedisInfo& info, const std::string& key) {
  auto it = info.find(key);
  return it == info.end() ? "" : it->second;
}

absl::StatusOr<int64_t> RedisTimeMs(const RedisReply& reply) {
  if (!reply.is_array() || reply.elements().size() != 2) {
    return absl::InternalError("TIME: unexpected reply");
  }
  DF_ASSIGN_OR_RETURN(int64_t seconds, reply.elements()[0].AsInt());
  DF_ASSIGN_OR_RETURN(int64_t micros, reply.elements()[1].AsInt());
  return seconds * 1000 + micros / 1000;
}

bool IsRefusedCommand(const absl::Status& status) {
  return Contains(status, "NOPERM") || Contains(status, "unknown command") ||
         Contains(status, "no permissions");
}

absl::Status RewritePersistenceFiles(RedisClient& redis, absl::Time deadline,
                                     const PauseFn& pause) {
  DF_ASSIGN_OR_RETURN(RedisInfo info, ReadRedisInfo(redis, "persistence"));
  if (InfoField(info, "aof_enabled") == "1") {
    DF_RETURN_IF_ERROR(RunJob(redis, kAofRewrite, deadline, pause));
  }
  if (SnapshotsConfigured(redis)) DF_RETURN_IF_ERROR(RunJob(redis, kRdbSave, deadline, pause));
  return absl::OkStatus();
}

}  // namespace dermaflow::common
