#include "common/redis/internal/sentinel_primary.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::common::redis_internal {
namespace {

// A fail-over takes seconds; asking more often than this only loads the
// sentinels while every caller's command fails at once.
constexpr absl::Duration kRelocateEvery = absl::Milliseconds(250);

}  // namespace

SentinelPrimary::SentinelPrimary(const RedisOptions& options, RedisMetrics* metrics)
    : locator_(options.sentinels, options.sentinel_master, options), metrics_(metrics) {
  watch_ = std::make_unique<SentinelSwitchWatch>(
      locator_, [this](const RedisAddress& node) { SwitchTo(node); });
}

SentinelPrimary::~SentinelPrimary() { watch_.reset(); }

void SentinelPrimary::SwitchTo(const RedisAddress& node) {
  absl::MutexLock lock(&mu_);
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
    // While the sentinels cannot say, callers fail fast instead of each
    // waiting out the connect timeouts again.
    const absl::Time now = absl::Now();
    if (now - last_located_ < kRelocateEvery) return locate_error_;
    last_located_ = now;
  }
  absl::StatusOr<RedisAddress> primary = locator_.Locate();
  if (!primary.ok()) {
    absl::MutexLock lock(&mu_);
    locate_error_ = primary.status();
    return primary.status();
  }
  SwitchTo(*primary);
  absl::MutexLock lock(&mu_);
  return pool_;
}

void SentinelPrimary::Suspect() {
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = absl::Now();
    if (now - last_located_ < kRelocateEvery) return;
    last_located_ = now;
  }
  if (absl::StatusOr<RedisAddress> primary = locator_.Locate(); primary.ok()) SwitchTo(*primary);
}

RedisAddress SentinelPrimary::current() {
  absl::MutexLock lock(&mu_);
  return current_;
}

}  // namespace dermaflow::common::redis_internal
