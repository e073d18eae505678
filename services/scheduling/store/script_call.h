// Builds the KEYS and ARGV of a call to one of scheduling's Lua scripts:
// arguments in the order the script reads them, keys de-duplicated and
// passed by index (so a script touches only keys it was given, as Redis
// Cluster requires). Also the commit.lua operations.
//
//   ScriptCall call;
//   call.Key(appointment_key);   // argument = the key's KEYS index
//   call.Arg(etag);
//   DF_ASSIGN_OR_RETURN(RedisReply reply, call.Run(redis, CommitScript()));
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace dermaflow::scheduling {

class ScriptCall {
 public:
  // Appends a key argument (its 1-based index into KEYS).
  ScriptCall& Key(const std::string& key);
  ScriptCall& Arg(std::string value);
  ScriptCall& Arg(int64_t value);

  // commit.lua operations (see lua/commit.lua).
  ScriptCall& Request(const std::string& key, const std::string& fingerprint);
  ScriptCall& Cas(const std::string& key, const std::string& etag, const std::string& label);
  ScriptCall& Unique(const std::string& key, const std::string& field, const std::string& owner);
  ScriptCall& HSet(const std::string& key, const std::vector<std::string>& fields_and_values);
  ScriptCall& HDelIf(const std::string& key, const std::string& field, const std::string& owner);
  ScriptCall& ZAdd(const std::string& key, int64_t score, const std::string& member);
  ScriptCall& ZRem(const std::string& key, const std::string& member);
  ScriptCall& SAdd(const std::string& key, const std::string& member);
  ScriptCall& SetEx(const std::string& key, int64_t seconds, const std::string& value);
  ScriptCall& XAdd(const std::string& key, int64_t max_len, const std::string& bytes);

  absl::StatusOr<common::RedisReply> Run(common::RedisClient& redis,
                                         const common::LuaScript& script) const;

  const std::vector<std::string>& keys() const { return keys_; }
  const std::vector<std::string>& args() const { return args_; }

 private:
  std::vector<std::string> keys_;
  std::map<std::string, int64_t> index_;
  std::vector<std::string> args_;
};

}  // namespace dermaflow::scheduling
