// The identity provider's signing keys, from its JWKS (an HTTPS URL, e.g. the
// OIDC `jwks_uri`, or a file mounted from a Secret), kept fresh the way
// providers rotate keys: refreshed every `refresh_interval`, and at once when
// a token names a `kid` we do not know -- but at most once per
// `min_refresh_interval`, so a stream of forged kids cannot hammer the
// provider. A failed refresh keeps the keys we have and is logged; tokens
// signed by an unknown key are refused with a message that says so.
//
// Loads run on a thread of the key set's own, never on the caller's: the
// periodic one does not hold up any call, and a call with an unknown kid
// waits for its load at most `unknown_kid_wait`, and at most
// `max_unknown_kid_waiters` calls wait at once (callback-API servers run
// handlers on very few threads: a slow provider, or a stream of forged kids
// during a load, must not stall them). The others get UNAVAILABLE at once
// ("retry"): their tokens may be good, signed by the key being loaded.
//
//   DF_ASSIGN_OR_RETURN(auto jwks, JwksKeySet::Create({.url = "https://idp/certs"}));
//   DF_ASSIGN_OR_RETURN(std::vector<JwsKey> keys, jwks->Candidates(kid, JwsAlgorithm::kRs256));
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/key_source.h"
#include "common/clock/clock.h"

namespace dermaflow::common {

struct JwksOptions {
  std::string url;      // https://...; or
  std::string file;     // a JWKS file
  std::string ca_file;  // PEM CAs for `url`; empty: the system's
  absl::Duration refresh_interval = absl::Minutes(10);
  absl::Duration min_refresh_interval = absl::Seconds(30);
  absl::Duration fetch_timeout = absl::Seconds(5);
  // How long a call with an unknown kid waits for the reload it started.
  absl::Duration unknown_kid_wait = absl::Seconds(2);
  // How many such calls may wait at once; the rest are refused without
  // waiting (providers publish a new key long before signing with it, so the
  // unknown-kid reload is a fallback, not the rotation path).
  int max_unknown_kid_waiters = 1;
  const Clock* clock = nullptr;  // nullptr = SystemClock()
  // Called after every load attempt (for metrics): its result and key count.
  std::function<void(const absl::Status&, size_t keys)> on_load;
};

class JwksKeySet : public KeySource {
 public:
  // INVALID_ARGUMENT for a bad configuration (not exactly one of url/file,
  // a URL that is not https). A file that cannot be read or parsed at start
  // is an error too; an unreachable URL is not (the provider may be down
  // while we start): it is logged and retried on demand.
  static absl::StatusOr<std::unique_ptr<JwksKeySet>> Create(JwksOptions options);
  ~JwksKeySet() override;
  JwksKeySet(const JwksKeySet&) = delete;
  JwksKeySet& operator=(const JwksKeySet&) = delete;

  absl::StatusOr<std::vector<JwsKey>> Candidates(std::string_view kid,
                                                 JwsAlgorithm algorithm) const override;

  // Loads the JWKS now, whatever the intervals say.
  absl::Status Refresh() const;

 private:
  explicit JwksKeySet(JwksOptions options);
  absl::StatusOr<std::vector<JwsKey>> Load() const;
  // Asks the loader for a load when the keys are older than `max_age` and
  // the last attempt is older than min_refresh_interval, then waits up to
  // `wait` for that load (or for one already running). True when the caller
  // should have waited for a load but max_unknown_kid_waiters were already
  // waiting.
  bool RefreshIfOlderThan(absl::Duration max_age, absl::Duration wait) const;
  absl::Status RefreshLocked() const;  // needs refresh_mu_
  void LoaderLoop();
  std::string Source() const;

  JwksOptions options_;
  const Clock& clock_;
  mutable std::mutex refresh_mu_;  // one load at a time
  mutable std::mutex mu_;          // guards the fields below
  mutable std::shared_ptr<const std::vector<JwsKey>> keys_;
  mutable absl::Time loaded_at_ = absl::InfinitePast();
  mutable absl::Time attempted_at_ = absl::InfinitePast();
  mutable absl::Status last_error_;
  // The loader thread's work list, also under mu_.
  mutable std::condition_variable loader_cv_;
  mutable bool load_requested_ = false;
  mutable bool loading_ = false;
  mutable uint64_t loads_done_ = 0;
  mutable int waiters_ = 0;
  bool stopping_ = false;
  std::thread loader_;  // last: started once the rest is initialised
};

}  // namespace dermaflow::common
