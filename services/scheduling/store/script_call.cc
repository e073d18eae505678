#include "services/scheduling/store/script_call.h"

#include "absl/strings/str_cat.h"

namespace dermaflow::scheduling {

ScriptCall& ScriptCall::Key(const std::string& key) {
  auto [it, inserted] = index_.emplace(key, static_cast<int64_t>(keys_.size()) + 1);
  if (inserted) keys_.push_back(key);
  return Arg(it->second);
}

ScriptCall& ScriptCall::Arg(std::string value) {
  args_.push_back(std::move(value));
  return *this;
}

ScriptCall& ScriptCall::Arg(int64_t value) { return Arg(absl::StrCat(value)); }

ScriptCall& ScriptCall::Request(const std::string& key, const std::string& fingerprint) {
  return Arg("REQ").Key(key).Arg(fingerprint);
}

ScriptCall& ScriptCall::Cas(const std::string& key, const std::string& etag,
                            const std::string& label) {
  return Arg("CAS").Key(key).Arg(etag).Arg(label);
}

ScriptCall& ScriptCall::Unique(const std::string& key, const std::string& field,
                               const std::string& owner) {
  return Arg("UNIQUE").Key(key).Arg(field).Arg(owner);
}

ScriptCall& ScriptCall::HSet(const std::string& key,
                             const std::vector<std::string>& fields_and_values) {
  Arg("HSET").Key(key).Arg(static_cast<int64_t>(fields_and_values.size() / 2));
  for (const std::string& v : fields_and_values) Arg(v);
  return *this;
}

ScriptCall& ScriptCall::HDelIf(const std::string& key, const std::string& field,
                               const std::string& owner) {
  return Arg("HDELIF").Key(key).Arg(field).Arg(owner);
}

ScriptCall& ScriptCall::ZAdd(const std::string& key, int64_t score, const std::string& member) {
  return Arg("ZADD").Key(key).Arg(score).Arg(member);
}

ScriptCall& ScriptCall::ZRem(const std::string& key, const std::string& member) {
  return Arg("ZREM").Key(key).Arg(member);
}

ScriptCall& ScriptCall::SAdd(const std::string& key, const std::string& member) {
  return Arg("SADD").Key(key).Arg(member);
}

ScriptCall& ScriptCall::SetEx(const std::string& key, int64_t seconds, const std::string& value) {
  return Arg("SETEX").Key(key).Arg(seconds).Arg(value);
}

ScriptCall& ScriptCall::XAdd(const std::string& key, int64_t max_len, const std::string& bytes) {
  return Arg("XADD").Key(key).Arg(max_len).Arg(bytes);
}

absl::StatusOr<common::RedisReply> ScriptCall::Run(common::RedisClient& redis,
                                                   const common::LuaScript& script) const {
  // Every calendar write (bookings, moves, cancellations, waitlist) must
  // survive a fail-over once acknowledged.
  return redis.Eval(script, keys_, args_, common::Durability::kReplicated);
}

}  // namespace dermaflow::scheduling
