// A Lua script for RedisClient::Eval: its source and the SHA1 Redis caches it
// under, so calls send EVALSHA (40 bytes) instead of the whole script.
//
// Scripts live as `lua/*.lua` beside the store that runs them and are compiled
// in with dermaflow_embed_lua (cmake/embed_lua.cmake), which generates
// `<dir>/lua/<name>_lua.h` with an accessor per file:
//
//   #include "services/scheduling/lua/book_appointment_lua.h"
//   redis.Eval(BookAppointmentScript(), {slot_key}, {appointment_bytes});
#pragma once

#include <string>
#include <string_view>

namespace dermaflow::common {

class LuaScript {
 public:
  // `name` is for metrics and errors (e.g. "book_appointment").
  LuaScript(std::string name, std::string source);

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  // Lower-case hex, as SCRIPT LOAD returns it.
  const std::string& sha1() const { return sha1_; }

 private:
  std::string name_;
  std::string source_;
  std::string sha1_;
};

// Lower-case hex SHA1 of `data` (OpenSSL).
std::string Sha1Hex(std::string_view data);

}  // namespace dermaflow::common
