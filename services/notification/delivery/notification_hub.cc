#include "services/notification/delivery/notification_hub.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

bool WatchFilter::Matches(const v1::Delivery& d) const {
  if (!patient_id.empty() && d.patient_id() != patient_id) return false;
  return channels.empty() ||
         std::find(channels.begin(), channels.end(), d.channel()) != channels.end();
}

NotificationHub::NotificationHub(DeliveryStore& deliveries, NotificationHubOptions options,
                                 common::OrgLimitRefusals* refusals)
    : deliveries_(deliveries),
      options_(options),
      refusals_(refusals),
      feeder_([this] { Feed(); }) {}

NotificationHub::~NotificationHub() {
  Shutdown();
  if (feeder_.joinable()) feeder_.join();
}

int NotificationHub::watchers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(watchers_.size());
}

void NotificationHub::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  EndAllLocked(absl::UnavailableError("the server is shutting down; reconnect"));
  feeder_cv_.notify_all();
}

void NotificationHub::EndAllLocked(const absl::Status& status) {
  for (Watcher* w : watchers_) {
    w->ended = true;
    w->end = status;
    w->cv.notify_all();
  }
}

absl::Status NotificationHub::Watch(const std::string& org, const WatchFilter& filter,
                                    const std::function<bool(const v1::Delivery&)>& write,
                                    const std::function<bool()>& cancelled) {
  // Read the stream's end first: what is delivered from here on is streamed.
  bool known_org;
  {
    std::lock_guard<std::mutex> lock(mu_);
    DF_RETURN_IF_ERROR(AdmitLocked(org));
    known_org = positions_.contains(org);
  }
  std::string start;
  if (!known_org) {
    // Marked first: every delivery after the end read below is streamed.
    if (!deliveries_.MarkWatched(org, options_.watched_ttl).ok()) {
      return absl::UnavailableError("delivery stream unreachable; reconnect");
    }
    absl::StatusOr<std::string> end = deliveries_.DeliveryStreamEnd(org);
    if (!end.ok()) return absl::UnavailableError("delivery stream unreachable; reconnect");
    start = *end;
  }
  Watcher watcher;
  watcher.org = org;
  watcher.filter = filter;
  {
    std::lock_guard<std::mutex> lock(mu_);
    DF_RETURN_IF_ERROR(AdmitLocked(org));
    if (!positions_.contains(org)) positions_[org] = start;
    watchers_.insert(&watcher);
    ++watchers_per_org_[org];
    feeder_cv_.notify_all();
  }
  absl::Status result = absl::OkStatus();
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    watcher.cv.wait_for(lock, std::chrono::milliseconds(200),
                        [&] { return watcher.ended || !watcher.queue.empty(); });
    std::deque<v1::Delivery> batch;
    batch.swap(watcher.queue);
    const bool ended = watcher.ended;
    lock.unlock();
    bool client_gone = cancelled();
    for (const v1::Delivery& d : batch) {
      if (client_gone || !write(d)) {
        client_gone = true;
        break;
      }
    }
    lock.lock();
    if (client_gone) break;
    if (ended) {
      result = watcher.end;
      break;
    }
  }
  watchers_.erase(&watcher);
  if (--watchers_per_org_[org] == 0) {
    watchers_per_org_.erase(org);
    positions_.erase(org);
  }
  return result;
}

absl::Status NotificationHub::AdmitLocked(const std::string& org) const {
  if (stopping_) return absl::UnavailableError("the server is shutting down; reconnect");
  if (static_cast<int>(watchers_.size()) >= options_.max_watchers) {
    return absl::UnavailableError("too many watchers on this replica; reconnect with backoff");
  }
  const auto it = watchers_per_org_.find(org);
  if (it != watchers_per_org_.end() && it->second >= options_.max_watchers_per_org) {
    if (refusals_ != nullptr) {
      refusals_->Record("max_watchers_per_org", org, "WatchNotifications", absl::Now());
    }
    return common::QuotaExceededError(
        absl::StrCat("organization:", org),
        absl::StrCat("this organization already has ", it->second,
                     " WatchNotifications streams on this replica, the most allowed "
                     "(--max_watchers_per_org); close unused streams"));
  }
  return absl::OkStatus();
}

void NotificationHub::Feed() {
  absl::Time failing_since = absl::InfiniteFuture();
  absl::Time marked = absl::InfinitePast();
  while (true) {
    std::map<std::string, std::string> positions;
    {
      std::unique_lock<std::mutex> lock(mu_);
      feeder_cv_.wait(lock, [&] { return stopping_ || !positions_.empty(); });
      if (stopping_) return;
      positions = positions_;
    }
    if (absl::Now() - marked > options_.watched_ttl / 3) {
      for (const auto& [org, position] : positions)
        (void)deliveries_.MarkWatched(org, options_.watched_ttl);
      marked = absl::Now();
    }
    absl::StatusOr<std::vector<StreamedDelivery>> read =
        deliveries_.ReadDeliveryStreams(positions, options_.poll_block);
    if (!read.ok()) {
      const absl::Time now = absl::Now();
      if (failing_since == absl::InfiniteFuture()) failing_since = now;
      if (now - failing_since > options_.source_outage) {
        common::LogWarning("watch streams ended: delivery stream unreachable",
                           {{"error", std::string(read.status().message())}});
        std::lock_guard<std::mutex> lock(mu_);
        EndAllLocked(absl::UnavailableError("the server lost its delivery source; reconnect"));
        failing_since = absl::InfiniteFuture();
      }
      std::unique_lock<std::mutex> lock(mu_);
      feeder_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; });
      continue;
    }
    failing_since = absl::InfiniteFuture();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [org, position] : positions) {
      if (positions_.contains(org)) positions_[org] = position;
    }
    for (const StreamedDelivery& d : *read) {
      for (Watcher* w : watchers_) {
        if (w->ended || w->org != d.organization || !w->filter.Matches(d.delivery)) continue;
        if (w->queue.size() >= options_.max_queued) {
          w->ended = true;
          w->end = absl::UnavailableError(
              "watcher fell behind; reconnect and catch up with ListDeliveries");
        } else {
          w->queue.push_back(d.delivery);
        }
        w->cv.notify_all();
      }
    }
  }
}

}  // namespace dermaflow::notification
