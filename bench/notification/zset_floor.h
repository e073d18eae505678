// notification_bench's in-run floor: the least a Redis job queue does per
// job — add (HSET payload + ZADD due, producers pipeline them), claim
// (ZPOPMIN), read (HMGET), ack (HDEL) — with a producer and `workers`
// consumer threads at once, as the engine's end-to-end phase runs. Like a
// mainstream queue's workers, each consumer takes `claim` jobs per round
// trip (1: one job at a time). The engine's figures are reported as ratios
// to it, so they survive a noisy shared machine.
//
//   FloorResult floor = RunZsetFloor({.jobs = 200'000, .claim = 1, .workers = 4});
#pragma once

#include <string>

namespace dermaflow::bench {

struct FloorResult {
  double seconds = 0;
  double cycles_per_s = 0;
  double redis_cpu_us = 0;  // per job, INFO cpu delta
  double bench_cpu_us = 0;  // per job, this process (getrusage)
};

struct FloorOptions {
  int jobs = 0;
  int claim = 1;    // jobs per ZPOPMIN
  int workers = 4;  // consumer threads
};

// Runs `jobs` full cycles on its own fresh Redis (AOF on, everysec). Throws
// if a job is lost or a command fails.
FloorResult RunZsetFloor(const FloorOptions& options);

}  // namespace dermaflow::bench
