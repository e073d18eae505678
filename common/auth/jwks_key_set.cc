#include "common/auth/jwks_key_set.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/jwks.h"
#include "common/auth/key_files.h"
#include "common/http/https_get.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr size_t kMaxJwksBytes = 1 << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<JwksKeySet>> JwksKeySet::Create(JwksOptions options) {
  if (options.url.empty() == options.file.empty()) {
    return absl::InvalidArgumentError("a JWKS needs exactly one of a URL or a file");
  }
  if (!options.url.empty() && !absl::StartsWithIgnoreCase(options.url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt_jwks_url must be an https:// URL, not ", options.url));
  }
  std::unique_ptr<JwksKeySet> set(new JwksKeySet(std::move(options)));
  absl::Status loaded = set->Refresh();
  if (!loaded.ok() && !set->options_.file.empty()) return loaded;
  return set;
}

JwksKeySet::JwksKeySet(JwksOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : SystemClock()),
      keys_(std::make_shared<std::vector<JwsKey>>()) {
  loader_ = std::thread([this] { LoaderLoop(); });
}

JwksKeySet::~JwksKeySet() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  loader_cv_.notify_all();
  loader_.join();
}

void JwksKeySet::LoaderLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    loader_cv_.wait(lock, [&] { return load_requested_ || stopping_; });
    if (stopping_) return;
    load_requested_ = false;
    loading_ = true;
    lock.unlock();
    {
      std::lock_guard<std::mutex> one_load(refresh_mu_);
      RefreshLocked().IgnoreError();  // logged and counted inside
    }
    lock.lock();
    loading_ = false;
    ++loads_done_;
    loader_cv_.notify_all();
  }
}

std::string JwksKeySet::Source() const {
  return options_.url.empty() ? options_.file : options_.url;
}

absl::StatusOr<std::vector<JwsKey>> JwksKeySet::Load() const {
  absl::StatusOr<std::string> body =
      options_.url.empty() ? ReadWholeFile(options_.file, "JWKS file")
                           : HttpsGet(options_.url, {.ca_file = options_.ca_file,
                                                     .timeout = options_.fetch_timeout,
                                                     .max_bytes = kMaxJwksBytes});
  if (!body.ok()) return body.status();
  return ParseJwks(*body);
}

absl::Status JwksKeySet::Refresh() const {
  std::lock_guard<std::mutex> one_load(refresh_mu_);
  return RefreshLocked();
}

absl::Status JwksKeySet::RefreshLocked() const {
  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<JwsKey>> keys = Load();
  if (keys.ok() && keys->empty()) {
    keys = absl::InvalidArgumentError("JWKS holds no RS256 or ES256 signing key");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    attempted_at_ = now;
    if (keys.ok()) {
      keys_ = std::make_shared<const std::vector<JwsKey>>(*keys);
      loaded_at_ = now;
      last_error_ = absl::OkStatus();
    } else {
      last_error_ = keys.status();
    }
  }
  if (options_.on_load) options_.on_load(keys.status(), keys.ok() ? keys->size() : 0);
  if (!keys.ok()) {
    LogError("cannot load the identity provider's JWKS; keeping the keys we have",
             {{"jwks", Source()}, {"error", std::string(keys.status().message())}});
    return keys.status();
  }
  LogInfo("loaded the identity provider's JWKS",
          {{"jwks", Source()}, {"keys", std::to_string(keys->size())}});
  return absl::OkStatus();
}

bool JwksKeySet::RefreshIfOlderThan(absl::Duration max_age, absl::Duration wait) const {
  const absl::Time now = clock_.Now();
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t seen = loads_done_;
  const bool due =
      now - loaded_at_ >= max_age && now - attempted_at_ >= options_.min_refresh_interval;
  if (due) {
    attempted_at_ = now;  // one request per interval, however many callers find it due
    load_requested_ = true;
    loader_cv_.notify_all();
  }
  // Wait for the first load that starts from now on: when one is running and
  // another is queued, that is the second to finish. Callers that find the
  // same unknown kid share it.
  if (!(due || loading_ || load_requested_) || wait <= absl::ZeroDuration()) return false;
  if (waiters_ >= options_.max_unknown_kid_waiters) return true;  // turned away
  const uint64_t target = seen + (loading_ && load_requested_ ? 2 : 1);
  ++waiters_;
  loader_cv_.wait_for(lock, absl::ToChronoMilliseconds(wait),
                      [&] { return loads_done_ >= target || stopping_; });
  --waiters_;
  return false;
}

absl::StatusOr<std::vector<JwsKey>> JwksKeySet::Candidates(std::string_view kid,
                                                           JwsAlgorithm algorithm) const {
  RefreshIfOlderThan(options_.refresh_interval, absl::ZeroDuration());
  auto find = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    return MatchingKeys(*keys_, kid, algorithm, /*kid_must_match=*/true);
  };
  std::vector<JwsKey> keys = find();
  bool turned_away = false;
  if (keys.empty() && !kid.empty()) {
    // A new kid is how a provider announces a rotation: look again, rate-limited.
    turned_away = RefreshIfOlderThan(absl::ZeroDuration(), options_.unknown_kid_wait);
    keys = find();
  }
  if (!keys.empty()) return keys;
  if (turned_away) {
    // The token may be good: its key may be in the JWKS being loaded.
    return absl::UnavailableError(
        "the identity provider's keys are being reloaded (new key id); retry shortly");
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::string why =
      last_error_.ok() ? "" : absl::StrCat(" (last load failed: ", last_error_.message(), ")");
  return absl::UnauthenticatedError(
      absl::StrCat("no ", JwsAlgorithmName(algorithm),
                   " key with this kid in the identity provider's JWKS", why));
}

}  // namespace dermaflow::common
