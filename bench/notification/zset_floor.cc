#include "bench/notification/zset_floor.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/notification/bench_redis.h"
#include "bench/notification/process_cpu.h"
#include "common/redis/redis_options.h"

namespace dermaflow::bench {
namespace {

void Check(const absl::Status& status, const char* what) {
  if (!status.ok())
    throw std::runtime_error(std::string("floor ") + what + ": " + status.ToString());
}

void Produce(common::RedisClient& redis, int jobs, int batch) {
  const std::string payload(200, 'p');
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < jobs; ++i) {
    const std::string id = absl::StrCat("job-", i);
    commands.push_back({"HSET", "{q}:jobs", id, payload});
    commands.push_back({"ZADD", "{q}:due", absl::StrCat(i), id});
    if (static_cast<int>(commands.size()) == 2 * batch || i == jobs - 1) {
      absl::StatusOr<std::vector<common::RedisReply>> r = redis.Pipeline(commands);
      Check(r.status(), "add");
      for (const auto& reply : *r) Check(reply.ToStatus(), "add");
      commands.clear();
    }
  }
}

// Consumes until `done` reaches `jobs` (shared by the workers).
void Consume(common::RedisClient& redis, int jobs, int batch, std::atomic<int>& done) {
  const auto stall_limit = std::chrono::seconds(30);
  auto last_progress = std::chrono::steady_clock::now();
  while (done.load() < jobs) {
    absl::StatusOr<common::RedisReply> popped =
        redis.Command({"ZPOPMIN", "{q}:due", absl::StrCat(batch)});
    Check(popped.status(), "claim");
    const auto& items = popped->elements();
    if (items.empty()) {
      if (std::chrono::steady_clock::now() - last_progress > stall_limit) {
        throw std::runtime_error("floor stalled");
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    std::vector<std::string> hmget = {"HMGET", "{q}:jobs"};
    std::vector<std::string> hdel = {"HDEL", "{q}:jobs"};
    for (size_t i = 0; i < items.size(); i += 2) {
      hmget.push_back(items[i].str());
      hdel.push_back(items[i].str());
    }
    absl::StatusOr<common::RedisReply> read = redis.Command(std::move(hmget));
    Check(read.status(), "read");
    for (const auto& v : read->elements()) {
      if (v.is_nil()) throw std::runtime_error("floor lost a job's payload");
    }
    absl::StatusOr<common::RedisReply> acked = redis.Command(std::move(hdel));
    Check(acked.status(), "ack");
    done += static_cast<int>(items.size() / 2);
    last_progress = std::chrono::steady_clock::now();
  }
}

}  // namespace

FloorResult RunZsetFloor(const FloorOptions& options) {
  const int jobs = options.jobs;
  BenchRedis server({.aof = true});
  common::RedisOptions redis_options = *common::ParseRedisUrl(server.url());
  redis_options.pool_size = options.workers + 1;
  common::RedisClient redis(redis_options);
  Check(redis.Ping(), "ping");
  const double redis_cpu0 = server.CpuSeconds();
  const double cpu0 = ProcessCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<int> done{0};
  std::mutex mu;
  std::exception_ptr failed;
  auto guarded = [&](auto&& work) {
    try {
      work();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!failed) failed = std::current_exception();
      done = jobs;  // stop the others
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] { guarded([&] { Produce(redis, jobs, 200); }); });
  for (int w = 0; w < options.workers; ++w) {
    threads.emplace_back([&] { guarded([&] { Consume(redis, jobs, options.claim, done); }); });
  }
  for (std::thread& t : threads) t.join();
  if (failed) std::rethrow_exception(failed);
  FloorResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cycles_per_s = jobs / r.seconds;
  r.bench_cpu_us = (ProcessCpuSeconds() - cpu0) * 1e6 / jobs;
  r.redis_cpu_us = (server.CpuSeconds() - redis_cpu0) * 1e6 / jobs;
  absl::StatusOr<common::RedisReply> left = server.admin().Command({"HLEN", "{q}:jobs"});
  if (!left.ok() || left->integer() != 0) throw std::runtime_error("floor left jobs behind");
  return r;
}

}  // namespace dermaflow::bench
