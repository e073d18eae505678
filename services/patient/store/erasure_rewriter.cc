#include "services/patient/store/erasure_rewriter.h"

#include <algorithm>

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
  // The ledger's node says what "now" is: its entries are on its clock.
  DF_ASSIGN_OR_RETURN(common::PendingErasures pending, common::ReadPendingErasures(redis_));
  DF_ASSIGN_OR_RETURN(RedisReply last, redis_.Command({"GET", common::LastErasureRewriteKey()}));
  Due due;
  due.now_ms = pending.now_ms;
  metrics_.pending.Set(static_cast<double>(pending.count));
  if (!pending.oldest_ms.has_value()) {
    metrics_.oldest_pending_seconds.Set(0);
    return due;
  }
  metrics_.oldest_pending_seconds.Set(
      std::max(0.0, static_cast<double>(due.now_ms - *pending.oldest_ms) / 1000.0));
  int64_t last_ms = 0;
  if (!last.is_nil()) {
    DF_ASSIGN_OR_RETURN(last_ms, last.AsInt());
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
  std::vector<common::NodeRewrite> nodes;
  absl::StatusOr<int64_t> cleared = RewriteAndClear(nodes);
  redis_.Eval(ReleaseLockScript(), {common::ErasureRewriteLockKey()}, {token_})
      .status()
      .IgnoreError();
  if (absl::IsCancelled(cleared.status())) return cleared.status();  // stopping
  if (cleared.ok() && *cleared == kNotDue) return absl::OkStatus();
  if (!cleared.ok()) {
    // Each primary that failed is counted and logged on its own (the node
    // is an address, never patient data); a failure no node had, once.
    std::vector<common::NodeRewrite> failed;
    for (const common::NodeRewrite& node : nodes) {
      if (!node.status.ok()) failed.push_back(node);
    }
    if (failed.empty()) failed.push_back({.node = "-", .status = cleared.status()});
    for (const common::NodeRewrite& node : failed) {
      metrics_.CountFailure(node.status);
      common::LogError("erasure rewrite failed: erased data may still be in Redis's files",
                       {{"node", node.node},
                        {"error", std::string(node.status.message())},
                        {"refused", common::IsRefusedCommand(node.status) ? "true" : "false"}});
    }
    return cleared.status();
  }
  const absl::Duration took = absl::Now() - start;
  metrics_.rewrites.Increment();
  metrics_.last_rewrite_seconds.Set(absl::ToDoubleSeconds(took));
  common::LogInfo("erasure rewrite done",
                  {{"erasures_cleared", absl::StrCat(*cleared)},
                   {"primaries", absl::StrCat(nodes.size())},
                   {"duration_ms", absl::StrCat(absl::ToInt64Milliseconds(took))}});
  return Refresh().status();
}

absl::StatusOr<int64_t> ErasureRewriter::RewriteAndClear(std::vector<common::NodeRewrite>& nodes) {
  // Under the lock: another replica may just have finished one.
  DF_ASSIGN_OR_RETURN(Due due, Refresh());
  if (!due.due) return kNotDue;
  // Every erasure recorded before this millisecond (on the ledger's clock,
  // read under the lock) committed before any rewrite below starts, on
  // whichever node its data lives, so the new files cannot hold its data.
  // One recorded in this very millisecond may not have: it waits for the
  // next.
  const int64_t cutoff_ms = due.now_ms;
  DF_RETURN_IF_ERROR(
      redis_.Command({"SET", common::LastErasureRewriteKey(), absl::StrCat(cutoff_ms)}).status());
  DF_ASSIGN_OR_RETURN(nodes, common::RewritePersistenceFiles(redis_, absl::Now() + options_.within,
                                                             [this](absl::Duration d) {
                                                               return thread_.SleepUnlessStopped(d);
                                                             }));
  // Only when every primary's files were rewritten are the erasures off
  // the disk; otherwise they all stay pending for the next rewrite.
  const auto failed = std::find_if(nodes.begin(), nodes.end(), [](const common::NodeRewrite& node) {
    return !node.status.ok();
  });
  if (failed != nodes.end()) {
    const int64_t count = std::count_if(
        failed, nodes.end(), [](const common::NodeRewrite& node) { return !node.status.ok(); });
    return absl::Status(
        failed->status.code(),
        absl::StrCat(count, " of ", nodes.size(), " Redis primaries not rewritten; ", failed->node,
                     ": ", failed->status.message()));
  }
  DF_ASSIGN_OR_RETURN(RedisReply removed,
                      redis_.Command({"ZREMRANGEBYSCORE", common::PendingErasuresKey(), "-inf",
                                      absl::StrCat("(", cutoff_ms)}));
  return removed.AsInt();
}

}  // namespace dermaflow::patient
