#include "bench/notification/replica_child.h"

#include <cstdio>
#include <exception>
#include <string>

#include "common/redis/redis_options.h"

namespace dermaflow::bench {

int RunReplicaChild(const std::string& redis_url, const EngineOptions& options) {
  if (absl::StatusOr<common::RedisOptions> url = common::ParseRedisUrl(redis_url); !url.ok()) {
    std::fprintf(stderr, "replica: --redis_url: %s\n", url.status().ToString().c_str());
    return 1;
  }
  try {
    EngineHarness engine(redis_url, options);
    if (absl::Status ping = engine.redis.Ping(); !ping.ok()) {
      std::fprintf(stderr, "replica %s: %s\n", options.consumer.c_str(), ping.ToString().c_str());
      return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    char line[64];
    if (std::fgets(line, sizeof line, stdin) == nullptr || std::string(line) != "go\n") {
      std::fprintf(stderr, "replica %s: stdin closed before go\n", options.consumer.c_str());
      return 1;
    }
    // Every replica beat once before it said ready: now each sees them all.
    if (engine.share != nullptr) (void)engine.share->Beat();
    engine.intake->Start();
    engine.dispatcher->Start();
    // Until the bench closes our stdin, which also happens when it dies.
    while (std::fgets(line, sizeof line, stdin) != nullptr) {
    }
    engine.intake->Stop();
    engine.dispatcher->Stop();
    std::printf("delivered %.0f\n", engine.Delivered());
    std::fflush(stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replica %s failed: %s\n", options.consumer.c_str(), e.what());
    return 1;
  }
}

}  // namespace dermaflow::bench
