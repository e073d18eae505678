// Shared pieces of the Redis Cluster tests: the one cluster of the binary,
// a client on it, what the client reports, and tenants placed on a chosen
// primary.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "gtest/gtest.h"
#include "tests/support/redis_cluster.h"

namespace dermaflow::common {

// Counts what the client reports, as the prometheus layer would.
class ClusterMetrics : public RedisMetrics {
 public:
  void OnClusterRedirection(std::string_view kind) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++redirections_[std::string(kind)];
  }
  void OnClusterMapRefresh(absl::StatusCode code) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++refreshes_[code];
  }
  int redirections(const std::string& kind) {
    std::lock_guard<std::mutex> lock(mu_);
    return redirections_[kind];
  }
  int refreshes(absl::StatusCode code = absl::StatusCode::kOk) {
    std::lock_guard<std::mutex> lock(mu_);
    return refreshes_[code];
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> redirections_;
  std::map<absl::StatusCode, int> refreshes_;
};

class RedisClusterTest : public ::testing::Test {
 protected:
  RedisClusterTest() : cluster_(testing::SharedRedisCluster()) {
    cluster_.FlushAll();
    client_ = NewClient();
  }

  RedisOptions Options() { return ParseRedisUrl(cluster_.url()).value(); }
  std::unique_ptr<RedisClient> NewClient() { return NewClient(Options()); }
  std::unique_ptr<RedisClient> NewClient(RedisOptions options) {
    return RedisClient::Create(std::move(options), &metrics_).value();
  }

  // An organization id whose slot the primary on `port` owns.
  std::string OrgOn(int port, int skip = 0) {
    for (int i = 0;; ++i) {
      std::string org = "org-" + std::to_string(i);
      if (cluster_.PortOwning(cluster_.KeySlot(org)) == port && skip-- == 0) return org;
    }
  }
  // A primary other than `port`.
  int OtherPrimary(int port) {
    for (int p : cluster_.PrimaryPorts()) {
      if (p != port) return p;
    }
    return 0;
  }

  testing::RedisCluster& cluster_;
  ClusterMetrics metrics_;
  std::unique_ptr<RedisClient> client_;
};

}  // namespace dermaflow::common
