#include "common/replicas/tenant_share.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/redis/keys.h"
#include "common/replicas/lua/replica_heartbeat_lua.h"

namespace dermaflow::common {
namespace {

// FNV-1a, then the splitmix64 finalizer so that nearby inputs spread: a
// fixed function, unlike std::hash, so every replica ranks alike.
uint64_t StableHash(std::string_view a, std::string_view b) {
  uint64_t h = 14695981039346656037ull;
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  add(a);
  add(std::string_view("\0", 1));
  add(b);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::string ThisReplicaId(std::string_view service) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return absl::StrCat(std::string(service), "-", gethostid(), "-", getpid());
  }
  return absl::StrCat(std::string(service), "-", host, "-", getpid());
}

std::string HomeReplica(std::string_view org, const std::vector<std::string>& replicas) {
  const std::string* best = nullptr;
  uint64_t best_score = 0;
  for (const std::string& replica : replicas) {
    const uint64_t score = StableHash(replica, org);
    if (best == nullptr || score > best_score || (score == best_score && replica < *best)) {
      best = &replica;
      best_score = score;
    }
  }
  return best == nullptr ? "" : *best;
}

TenantFocus::IsHomeFn HomeTestOf(const TenantShare* share) {
  if (share == nullptr) return nullptr;
  return [share](const std::string& org) { return share->IsHome(org); };
}

TenantShare::TenantShare(RedisClient& redis, prometheus::Registry& registry,
                         TenantShareOptions options)
    : redis_(redis),
      options_(std::move(options)),
      key_(GlobalKey("replicas", options_.service)),
      replicas_gauge_(prometheus::BuildGauge()
                          .Name("dermaflow_replicas_live")
                          .Help("Replicas of this service that this one sees alive (they share "
                                "its organizations; each organization has one home replica)")
                          .Register(registry)
                          .Add({})),
      thread_(
          options_.ttl / 3, [this] { (void)Beat(); }, /*run_at_start=*/true) {}

TenantShare::~TenantShare() { Stop(); }

void TenantShare::Start() { thread_.Start(); }

void TenantShare::Stop() {
  thread_.Stop();
  if (!replicas().empty()) (void)Leave();
}

absl::Status TenantShare::Beat() {
  absl::StatusOr<RedisReply> reply =
      redis_.Eval(ReplicaHeartbeatScript(), {key_},
                  {options_.replica_id, absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))});
  if (!reply.ok()) {
    // Logged once per outage; Redis being down is alerted on apart.
    if (!failing_.exchange(true)) {
      LogWarning("replica heartbeat failed; keeping the last view of the replicas for now",
                 {{"error", std::string(reply.status().message())}});
    }
    absl::MutexLock lock(&mu_);
    if (absl::Now() - last_beat_ > options_.ttl) replicas_gauge_.Set(0);  // working alone
    return reply.status();
  }
  failing_ = false;
  std::vector<std::string> live;
  for (const RedisReply& member : reply->elements()) live.push_back(member.str());
  replicas_gauge_.Set(static_cast<double>(live.size()));
  absl::MutexLock lock(&mu_);
  replicas_ = std::move(live);
  last_beat_ = absl::Now();
  return absl::OkStatus();
}

absl::Status TenantShare::Leave() {
  absl::StatusOr<RedisReply> reply =
      redis_.Eval(ReplicaHeartbeatScript(), {key_}, {options_.replica_id, "0"});
  absl::MutexLock lock(&mu_);
  replicas_.clear();
  return reply.status();
}

bool TenantShare::IsHome(std::string_view org) const {
  absl::MutexLock lock(&mu_);
  // No view yet, or one too old to trust (the others have dropped this
  // replica): act alone rather than leave organizations without a home.
  if (replicas_.empty() || absl::Now() - last_beat_ > options_.ttl) return true;
  return HomeReplica(org, replicas_) == options_.replica_id;
}

std::vector<std::string> TenantShare::replicas() const {
  absl::MutexLock lock(&mu_);
  return replicas_;
}

}  // namespace dermaflow::common
