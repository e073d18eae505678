#include "services/patient/store/erasure_rewriter.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/random/random_hex.h"
#include "common/redis/erasure_ledger.h"
#include "common/redis/persistence_files.h"
#include "common/status/macros.h"
#include "services/patient/lua/release_lock_lua.h"

namespace dermaflow::patient {
namespace {

using common::RedisReply;

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

ErasureRewriter::ErasureRewriter(common::RedisClient& redis, prometheus::Registry& registry,
                                 ErasureRewriteOptions options)
    : redis_(redis),
      options_(options),
      metrics_(registry),
      token_(common::RandomHex128()),
      thread_(
          poll_interval(), [this] { RunOnce().IgnoreError(); },  // logged and counted inside
          /*run_at_start=*/true) {
  metrics_.within_seconds.Set(absl::ToDoubleSeconds(options_.within));
}

ErasureRewriter::~ErasureRewriter() { Stop(); }

absl::Duration ErasureRewriter::poll_interval() const {
  return std::clamp(options_.min_interval / 4, absl::Milliseconds(50), absl::Seconds(1));
}

void ErasureRewriter::Start() { thread_.Start(); }

void ErasureRewriter::Stop() { thread_.Stop(); }

absl::StatusOr<ErasureRewriter::Due> ErasureRewriter::Refresh() {
  DF_ASSIGN_OR_RETURN(
      std::vector<RedisReply> replies,
      redis_.Pipeline({{"TIME"},
                       {"ZRANGE", common::PendingErasuresKey(), "0", "0", "WITHSCORES"},
                       {"ZCARD", common::PendingErasuresKey()},
                       {"GET", common::LastErasureRewriteKey()}}));
  for (const RedisReply& reply : replies) DF_RETURN_IF_ERROR(reply.ToStatus());
  Due due;
  DF_ASSIGN_OR_RETURN(due.now_ms, common::RedisTimeMs(replies[0]));
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
    metrics_.CountFailure(cleared.status());
    common::LogError("erasure rewrite failed: erased data may still be in Redis's files",
                     {{"error", std::string(cleared.status().message())},
                      {"refused", common::IsRefusedCommand(cleared.status()) ? "true" : "false"}});
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
  DF_ASSIGN_OR_RETURN(int64_t cutoff_ms, common::RedisTimeMs(time));
  DF_RETURN_IF_ERROR(
      redis_.Command({"SET", common::LastErasureRewriteKey(), absl::StrCat(cutoff_ms)}).status());
  DF_RETURN_IF_ERROR(common::RewritePersistenceFiles(
      redis_, absl::Now() + options_.within,
      [this](absl::Duration d) { return thread_.SleepUnlessStopped(d); }));
  DF_ASSIGN_OR_RETURN(RedisReply removed,
                      redis_.Command({"ZREMRANGEBYSCORE", common::PendingErasuresKey(), "-inf",
                                      absl::StrCat("(", cutoff_ms)}));
  return removed.AsInt();
}

}  // namespace dermaflow::patient
