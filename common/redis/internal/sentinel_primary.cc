#include "common/redis/internal/sentinel_primary.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::common::redis_internal {
namespace {

// Before any primary is known, callers fail fast for this long after a
// lookup failed instead of each waiting out the connect timeouts again.
constexpr absl::Duration kLocateRetryAfter = absl::Milliseconds(250);

}  // namespace

SentinelPrimary::SentinelPrimary(const RedisOptions& options, RedisMetrics* metrics)
    : locator_(options.sentinels, options.sentinel_master, options), metrics_(metrics) {
  watch_ = std::make_unique<SentinelSwitchWatch>(
      locator_, [this](const RedisNodeAddress& node) { SwitchTo(node); });
}

SentinelPrimary::~SentinelPrimary() { watch_.reset(); }

void SentinelPrimary::SwitchTo(const RedisNodeAddress& node) {
  absl::MutexLock lock(&mu_);
  InstallLocked(node);
}

void SentinelPrimary::InstallLocked(const RedisNodeAddress& node) {
  if (pool_ != nullptr && node == current_) return;
  if (pool_ != nullptr) {
    LogWarning("redis sentinel: using a new primary",
               {{"master", locator_.master_name()},
                {"from", absl::StrCat(current_.host, ":", current_.port)},
                {"to", absl::StrCat(node.host, ":", node.port)}});
    if (metrics_ != nullptr) metrics_->OnPrimarySwitch();
  }
  current_ = node;
  // Callers holding the old pool finish on it; its connections close when
  // the last lease goes.
  pool_ = std::make_shared<ConnectionPool>(locator_.OptionsFor(node), metrics_);
}

absl::StatusOr<std::shared_ptr<ConnectionPool>> SentinelPrimary::Pool() {
  {
    absl::MutexLock lock(&mu_);
    if (pool_ != nullptr) return pool_;
    const absl::Time now = absl::Now();
    if (now - last_located_ < kLocateRetryAfter) return locate_error_;
    last_located_ = now;
  }
  absl::StatusOr<RedisNodeAddress> primary = locator_.Locate();
  absl::MutexLock lock(&mu_);
  if (!primary.ok()) {
    locate_error_ = primary.status();
    return pool_ != nullptr ? absl::StatusOr<std::shared_ptr<ConnectionPool>>(pool_)
                            : primary.status();
  }
  if (pool_ == nullptr) InstallLocked(*primary);
  return pool_;
}

void SentinelPrimary::Suspect() {
  if (watch_ != nullptr) watch_->RequestRelocate();
}

}  // namespace dermaflow::common::redis_internal
