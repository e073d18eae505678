// A token bucket: tokens refill at `rate` per second up to `burst`, and each
// admitted request takes one, so a client may send `burst` requests at once
// and `rate` per second for as long as it likes. Pure (the caller passes the
// time), so tests drive it with a FakeClock; not thread-safe (its owner
// locks).
//
//   TokenBucket bucket(/*rate=*/100, /*burst=*/200, clock.Now());
//   if (!bucket.TryTake(clock.Now())) Refuse(bucket.TimeUntilToken());
#pragma once

#include "absl/time/time.h"

namespace dermaflow::common {

class TokenBucket {
 public:
  // Starts full. `rate` > 0 and `burst` >= 1 (OrgRateLimiter checks).
  TokenBucket(double rate, double burst, absl::Time now);

  // Takes one token if there is one at `now`.
  bool TryTake(absl::Time now);
  // How long from the last TryTake until a whole token is there again
  // (zero when one is).
  absl::Duration TimeUntilToken() const;
  // True when the bucket has refilled to `burst` by `now`: it then behaves
  // exactly like a new one, so its owner may drop it.
  bool IsFullAt(absl::Time now) const;

 private:
  // Tokens at `now`; a clock that steps back refills nothing.
  double TokensAt(absl::Time now) const;

  double rate_;
  double burst_;
  double tokens_;
  absl::Time updated_;
};

}  // namespace dermaflow::common
