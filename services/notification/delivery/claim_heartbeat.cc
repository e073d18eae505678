#include "services/notification/delivery/claim_heartbeat.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::notification {

ClaimHeartbeat::ClaimHeartbeat(ReminderQueue& queue, absl::Duration lease)
    : queue_(queue), lease_(lease), thread_(lease / 3, [this] {
        absl::Status renewed = Renew();
        if (!renewed.ok()) {
          common::LogWarning("dispatcher: could not renew claim leases",
                             {{"error", std::string(renewed.message())}});
        }
      }) {}

ClaimHeartbeat::~ClaimHeartbeat() { Stop(); }

void ClaimHeartbeat::Start() { thread_.Start(); }

void ClaimHeartbeat::Stop() { thread_.Stop(); }

void ClaimHeartbeat::Hold(const std::string& org, const std::vector<ClaimedReminder>& claims) {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, Claim>& held = held_[org];
  for (const ClaimedReminder& c : claims) held[c.record.id] = Claim{c.claim_token};
}

void ClaimHeartbeat::Release(const std::string& org, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = held_.find(org);
  if (it == held_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) held_.erase(it);
}

bool ClaimHeartbeat::Lost(const std::string& org, const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = held_.find(org);
  if (it == held_.end()) return false;
  auto claim = it->second.find(id);
  return claim != it->second.end() && claim->second.lost;
}

absl::Status ClaimHeartbeat::Renew() {
  std::map<std::string, std::vector<HeldClaim>> renew;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [org, claims] : held_) {
      for (const auto& [id, claim] : claims) {
        if (!claim.lost) renew[org].push_back(HeldClaim{id, claim.token});
      }
    }
  }
  absl::Status first_error;
  for (const auto& [org, claims] : renew) {
    absl::StatusOr<std::vector<std::string>> lost = queue_.RenewClaims(org, claims, lease_);
    if (!lost.ok()) {
      if (first_error.ok()) first_error = lost.status();
      continue;
    }
    if (lost->empty()) continue;
    std::map<std::string, int64_t> sent;
    for (const HeldClaim& c : claims) sent[c.id] = c.claim_token;
    std::lock_guard<std::mutex> lock(mu_);
    auto held = held_.find(org);
    int taken_over = 0;
    for (const std::string& id : *lost) {
      if (held == held_.end()) break;
      auto claim = held->second.find(id);
      // Only the claim asked about: it may have been released and claimed
      // anew since. One released meanwhile (its outcome just recorded) is no
      // longer in flight either, and was not taken over.
      if (claim != held->second.end() && claim->second.token == sent[id]) {
        claim->second.lost = true;
        ++taken_over;
      }
    }
    if (taken_over == 0) continue;
    common::LogWarning("dispatcher: claims taken over by another replica; not sending them",
                       {{"org", org}, {"claims", absl::StrCat(taken_over)}});
  }
  return first_error;
}

}  // namespace dermaflow::notification
