#include "services/patient/store/erasure_rewriter.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/redis/erasure_ledger.h"
#include "common/status/macros.h"
#include "services/patient/lua/release_lock_lua.h"

namespace dermaflow::patient {
namespace {

using common::RedisReply;
using Info = std::map<std::string, std::string, std::less<>>;  // INFO section fields

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& r, const char* name,
                                                   const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

prometheus::Family<prometheus::Counter>& Failures(prometheus::Registry& r) {
  return prometheus::BuildCounter()
      .Name("dermaflow_erasure_rewrite_failures_total")
      .Help("Rewrites of Redis's AOF/RDB files after an erasure that did not finish, by reason")
      .Register(r);
}

// "NOPERM ..." (ACL) or "ERR unknown command" (renamed away, as managed
// Redis does): the operator must act, retrying will not help.
bool Contains(const absl::Status& status, const char* text) {
  return std::string(status.message()).find(text) != std::string::npos;
}

bool IsRefused(const absl::Status& status) {
  return Contains(status, "NOPERM") || Contains(status, "unknown command") ||
         Contains(status, "no permissions");
}

// INFO's "key:value" lines.
absl::StatusOr<Info> ReadInfo(common::RedisClient& redis, const std::string& section) {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis.Command({"INFO", section}));
  DF_ASSIGN_OR_RETURN(std::string text, reply.AsString());
  Info info;
  const std::vector<std::string> lines =
      absl::StrSplit(text, absl::ByAnyChar("\r\n"), absl::SkipEmpty());
  for (const std::string& line : lines) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos || line[0] == '#') continue;
    info.emplace(line.substr(0, colon), line.substr(colon + 1));
  }
  return info;
}

std::string Field(const Info& info, const std::string& key) {
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

std::string NewToken() {
  absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen), absl::Uniform<uint64_t>(gen));
}

// One background job (AOF rewrite or RDB save) from start to a good finish.
struct BackgroundJob {
  const char* command;      // BGREWRITEAOF | BGSAVE
  const char* in_progress;  // INFO field, "1" while it runs
  const char* scheduled;    // INFO field, "1" while queued behind another fork ("" if none)
  const char* last_status;  // INFO field, "ok" after a good run
};
constexpr BackgroundJob kAofRewrite{"BGREWRITEAOF", "aof_rewrite_in_progress",
                                    "aof_rewrite_scheduled", "aof_last_bgrewrite_status"};
constexpr BackgroundJob kRdbSave{"BGSAVE", "rdb_bgsave_in_progress", "", "rdb_last_bgsave_status"};

bool Idle(const Info& info) {
  return Field(info, "aof_rewrite_in_progress") != "1" &&
         Field(info, "aof_rewrite_scheduled") != "1" &&
         Field(info, "rdb_bgsave_in_progress") != "1";
}

// Polls INFO persistence until no fork runs or is queued. `pause` sleeps
// and returns false when the service is stopping (then CANCELLED: Redis
// finishes the rewrite by itself, and the erasures stay pending).
using Pause = std::function<bool(absl::Duration)>;
absl::StatusOr<Info> WaitIdle(common::RedisClient& redis, absl::Time deadline, const Pause& pause) {
  while (true) {
    DF_ASSIGN_OR_RETURN(Info info, ReadInfo(redis, "persistence"));
    if (Idle(info)) return info;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError("Redis's background rewrite did not finish in time");
    }
    if (!pause(absl::Milliseconds(50))) return absl::CancelledError("stopping");
  }
}

// Starts `job` (after any fork already running: it may predate the
// erasures) and waits for it to finish well.
absl::Status RunJob(common::RedisClient& redis, const BackgroundJob& job, absl::Time deadline,
                    const Pause& pause) {
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
  DF_ASSIGN_OR_RETURN(Info done, WaitIdle(redis, deadline, pause));
  if (Field(done, job.last_status) != "ok") {
    return absl::InternalError(
        absl::StrCat(job.command, " failed: ", job.last_status, "=", Field(done, job.last_status)));
  }
  return absl::OkStatus();
}

// RewriteAndClear found another replica had just rewritten.
constexpr int64_t kNotDue = -1;

}  // namespace

absl::Status ValidateErasureRewriteOptions(const ErasureRewriteOptions& options) {
  if (options.min_interval <= absl::ZeroDuration() || options.min_interval > options.within / 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("--erasure_rewrite_min_interval (", absl::FormatDuration(options.min_interval),
                     ") must be > 0 and at most half of --erasure_rewrite_within (",
                     absl::FormatDuration(options.within), ")"));
  }
  return absl::OkStatus();
}

ErasureRewriteMetrics::ErasureRewriteMetrics(prometheus::Registry& r)
    : oldest_pending_seconds(
          GaugeFamily(r, "dermaflow_erasure_pending_oldest_seconds",
                      "Age of the oldest erasure not yet rewritten out of Redis's files (0: none)")
              .Add({})),
      pending(GaugeFamily(r, "dermaflow_erasure_pending",
                          "Erasures not yet rewritten out of Redis's AOF/RDB files")
                  .Add({})),
      within_seconds(GaugeFamily(r, "dermaflow_erasure_rewrite_within_seconds",
                                 "The configured bound --erasure_rewrite_within")
                         .Add({})),
      last_rewrite_seconds(GaugeFamily(r, "dermaflow_erasure_rewrite_last_duration_seconds",
                                       "How long the last good rewrite (AOF and RDB) took")
                               .Add({})),
      rewrites(prometheus::BuildCounter()
                   .Name("dermaflow_erasure_rewrites_total")
                   .Help("Rewrites of Redis's files after erasures that finished OK")
                   .Register(r)
                   .Add({})),
      refused(Failures(r).Add({{"reason", "refused"}})),
      failed(Failures(r).Add({{"reason", "failed"}})),
      timeout(Failures(r).Add({{"reason", "timeout"}})),
      unavailable(Failures(r).Add({{"reason", "unavailable"}})) {}

ErasureRewriter::ErasureRewriter(common::RedisClient& redis, prometheus::Registry& registry,
                                 ErasureRewriteOptions options)
    : redis_(redis), options_(options), metrics_(registry), token_(NewToken()) {
  metrics_.within_seconds.Set(absl::ToDoubleSeconds(options_.within));
}

ErasureRewriter::~ErasureRewriter() { Stop(); }

absl::Duration ErasureRewriter::poll_interval() const {
  return std::clamp(options_.min_interval / 4, absl::Milliseconds(50), absl::Seconds(1));
}

void ErasureRewriter::Start() {
  thread_ = std::thread([this] {
    while (true) {
      RunOnce().IgnoreError();  // logged and counted inside
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), poll_interval())) return;
    }
  });
}

void ErasureRewriter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<ErasureRewriter::Due> ErasureRewriter::Refresh() {
  DF_ASSIGN_OR_RETURN(
      std::vector<RedisReply> replies,
      redis_.Pipeline({{"TIME"},
                       {"ZRANGE", common::PendingErasuresKey(), "0", "0", "WITHSCORES"},
                       {"ZCARD", common::PendingErasuresKey()},
                       {"GET", common::LastErasureRewriteKey()}}));
  for (const RedisReply& reply : replies) DF_RETURN_IF_ERROR(reply.ToStatus());
  Due due;
  DF_ASSIGN_OR_RETURN(due.now_ms, RedisTimeMs(replies[0]));
  DF_ASSIGN_OR_RETURN(int64_t count, replies[2].AsInt());
  metrics_.pending.Set(static_cast<double>(count));
  const std::vector<RedisReply>& oldest = replies[1].elements();
  if (oldest.size() < 2) {
    metrics_.oldest_pending_seconds.Set(0);
    return due;
  }
  double oldest_ms = 0;
  if (!absl::SimpleAtod(oldest[1].str(), &oldest_ms)) {
    return absl::InternalError("erasures_pending: score is not a number");
  }
  metrics_.oldest_pending_seconds.Set(
      std::max(0.0, (static_cast<double>(due.now_ms) - oldest_ms) / 1000.0));
  int64_t last_ms = 0;
  if (!replies[3].is_nil()) {
    DF_ASSIGN_OR_RETURN(last_ms, replies[3].AsInt());
  }
  due.due = due.now_ms - last_ms >= absl::ToInt64Milliseconds(options_.min_interval);
  return due;
}

absl::Status ErasureRewriter::RunOnce() {
  absl::StatusOr<Due> due = Refresh();
  if (!due.ok()) {
    // Once per outage (the loop looks every poll_interval).
    if (!refresh_failing_.exchange(true)) {
      common::LogWarning("erasure rewrite: cannot read pending erasures",
                         {{"error", std::string(due.status().message())}});
    }
    return due.status();
  }
  refresh_failing_ = false;
  if (!due->due) return absl::OkStatus();

  // One replica at a time; the lease outlives the longest wait.
  const std::string lease_ms =
      absl::StrCat(absl::ToInt64Milliseconds(options_.within + absl::Seconds(30)));
  absl::StatusOr<RedisReply> locked =
      redis_.Command({"SET", common::ErasureRewriteLockKey(), token_, "NX", "PX", lease_ms});
  if (!locked.ok() || locked->is_nil()) return locked.status();

  const absl::Time start = absl::Now();
  absl::StatusOr<int64_t> cleared = RewriteAndClear();
  redis_.Eval(ReleaseLockScript(), {common::ErasureRewriteLockKey()}, {token_})
      .status()
      .IgnoreError();
  if (absl::IsCancelled(cleared.status())) return cleared.status();  // stopping
  if (cleared.ok() && *cleared == kNotDue) return absl::OkStatus();
  if (!cleared.ok()) {
    CountFailure(cleared.status());
    common::LogError("erasure rewrite failed: erased data may still be in Redis's files",
                     {{"error", std::string(cleared.status().message())},
                      {"refused", IsRefused(cleared.status()) ? "true" : "false"}});
    return cleared.status();
  }
  const absl::Duration took = absl::Now() - start;
  metrics_.rewrites.Increment();
  metrics_.last_rewrite_seconds.Set(absl::ToDoubleSeconds(took));
  common::LogInfo("erasure rewrite done",
                  {{"erasures_cleared", absl::StrCat(*cleared)},
                   {"duration_ms", absl::StrCat(absl::ToInt64Milliseconds(took))}});
  return Refresh().status();
}

absl::StatusOr<int64_t> ErasureRewriter::RewriteAndClear() {
  // Under the lock: another replica may just have finished one.
  DF_ASSIGN_OR_RETURN(Due due, Refresh());
  if (!due.due) return kNotDue;
  // Every erasure recorded before this millisecond committed before the
  // fork the rewrite starts with, so the new files cannot hold its data. One
  // recorded in this very millisecond may not have: it waits for the next.
  DF_ASSIGN_OR_RETURN(RedisReply time, redis_.Command({"TIME"}));
  DF_ASSIGN_OR_RETURN(int64_t cutoff_ms, RedisTimeMs(time));
  DF_RETURN_IF_ERROR(
      redis_.Command({"SET", common::LastErasureRewriteKey(), absl::StrCat(cutoff_ms)}).status());
  DF_RETURN_IF_ERROR(RewriteFiles());
  DF_ASSIGN_OR_RETURN(RedisReply removed,
                      redis_.Command({"ZREMRANGEBYSCORE", common::PendingErasuresKey(), "-inf",
                                      absl::StrCat("(", cutoff_ms)}));
  return removed.AsInt();
}

absl::Status ErasureRewriter::RewriteFiles() {
  const absl::Time deadline = absl::Now() + options_.within;
  const Pause pause = [this](absl::Duration d) {
    absl::MutexLock lock(&mu_);
    return !mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
  };
  DF_ASSIGN_OR_RETURN(Info info, ReadInfo(redis_, "persistence"));
  if (Field(info, "aof_enabled") == "1") {
    DF_RETURN_IF_ERROR(RunJob(redis_, kAofRewrite, deadline, pause));
  }
  // A new RDB snapshot replaces the old one when snapshots are configured
  // (`save` not empty). Without them Redis writes no RDB file, and taking
  // one would put the data on disk. If CONFIG is refused we cannot know, so
  // we save anyway: an old snapshot may hold the erased data.
  absl::StatusOr<RedisReply> save = redis_.Command({"CONFIG", "GET", "save"});
  bool snapshots = false;
  if (!save.ok()) {
    common::LogWarning("erasure rewrite: CONFIG GET save refused, taking an RDB snapshot anyway",
                       {{"error", std::string(save.status().message())}});
    snapshots = true;
  } else if (save->elements().size() == 2 && !save->elements()[1].str().empty()) {
    snapshots = true;
  }
  if (snapshots) DF_RETURN_IF_ERROR(RunJob(redis_, kRdbSave, deadline, pause));
  return absl::OkStatus();
}

void ErasureRewriter::CountFailure(const absl::Status& status) {
  if (IsRefused(status)) {
    metrics_.refused.Increment();
  } else if (absl::IsDeadlineExceeded(status)) {
    metrics_.timeout.Increment();
  } else if (absl::IsUnavailable(status)) {
    metrics_.unavailable.Increment();
  } else {
    metrics_.failed.Increment();
  }
}

}  // namespace dermaflow::patient
