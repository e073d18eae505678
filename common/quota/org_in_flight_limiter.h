// How many calls of one kind each organization has running on this server,
// capped at `limit`: a call holds a Slot while it runs, and an organization
// whose slots are all taken is refused instead of queueing behind itself and
// in front of everybody else. Thread-safe.
//
//   OrgInFlightLimiter limiter(4);
//   std::optional<OrgInFlightLimiter::Slot> slot = limiter.TryAcquire(org);
//   if (!slot) Refuse();   // else the slot is released when it goes away
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace dermaflow::common {

class OrgInFlightLimiter {
 public:
  // A running call's place; released on destruction. Default-constructed or
  // moved-from, it holds nothing (what a call that needs no slot keeps).
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() { Release(); }

    bool held() const { return limiter_ != nullptr; }
    // Gives the place back now (idempotent).
    void Release();

   private:
    friend class OrgInFlightLimiter;
    Slot(OrgInFlightLimiter* limiter, std::string org) : limiter_(limiter), org_(std::move(org)) {}

    OrgInFlightLimiter* limiter_ = nullptr;
    std::string org_;
  };

  // `limit` >= 1. Must outlive every Slot it hands out.
  explicit OrgInFlightLimiter(int limit) : limit_(limit) {}

  // A slot for `org`, or nullopt when it already holds `limit` of them.
  std::optional<Slot> TryAcquire(std::string_view org);

  int limit() const { return limit_; }
  // Slots `org` holds now (tests).
  int InFlight(std::string_view org) const;

 private:
  void Release(const std::string& org);

  const int limit_;
  mutable absl::Mutex mu_;
  // Only organizations with a call running: entries leave at zero.
  absl::flat_hash_map<std::string, int> running_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
