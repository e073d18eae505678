#include "common/auth/jwks_key_set.h"

#include <curl/curl.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/jwks.h"
#include "common/auth/key_files.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

constexpr size_t kMaxJwksBytes = 1 << 20;

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() + size * count > kMaxJwksBytes) return 0;  // aborts the transfer
  body->append(data, size * count);
  return size * count;
}

}  // namespace

absl::StatusOr<std::string> FetchHttps(const std::string& url, const std::string& ca_file,
                                       absl::Duration timeout) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return absl::InternalError("curl_easy_init failed");
  std::string body;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  if (!ca_file.empty()) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, ca_file.c_str());
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("fetching ", url, " failed: ", error[0] ? error : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("fetching ", url, " answered HTTP ", status));
  }
  return body;
}

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
      keys_(std::make_shared<std::vector<JwsKey>>()) {}

std::string JwksKeySet::Source() const {
  return options_.url.empty() ? options_.file : options_.url;
}

absl::StatusOr<std::vector<JwsKey>> JwksKeySet::Load() const {
  absl::StatusOr<std::string> body =
      options_.url.empty() ? ReadWholeFile(options_.file, "JWKS file")
                           : FetchHttps(options_.url, options_.ca_file, options_.fetch_timeout);
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

void JwksKeySet::RefreshIfOlderThan(absl::Duration max_age) const {
  auto due = [&] {
    const absl::Time now = clock_.Now();
    std::lock_guard<std::mutex> lock(mu_);
    return now - loaded_at_ >= max_age && now - attempted_at_ >= options_.min_refresh_interval;
  };
  if (!due()) return;
  // Threads that find the same unknown kid wait for one load and share it.
  std::lock_guard<std::mutex> one_load(refresh_mu_);
  if (due()) RefreshLocked().IgnoreError();
}

absl::StatusOr<std::vector<JwsKey>> JwksKeySet::Candidates(std::string_view kid,
                                                           JwsAlgorithm algorithm) const {
  RefreshIfOlderThan(options_.refresh_interval);
  auto find = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    return MatchingKeys(*keys_, kid, algorithm, /*kid_must_match=*/true);
  };
  std::vector<JwsKey> keys = find();
  if (keys.empty() && !kid.empty()) {
    // A new kid is how a provider announces a rotation: look again, rate-limited.
    RefreshIfOlderThan(absl::ZeroDuration());
    keys = find();
  }
  if (!keys.empty()) return keys;
  std::lock_guard<std::mutex> lock(mu_);
  std::string why =
      last_error_.ok() ? "" : absl::StrCat(" (last load failed: ", last_error_.message(), ")");
  return absl::UnauthenticatedError(
      absl::StrCat("no ", JwsAlgorithmName(algorithm),
                   " key with this kid in the identity provider's JWKS", why));
}

}  // namespace dermaflow::common
