// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its
// hash tag, modulo 16384. Keys with the same tag share a slot, which is how
// one tenant's keys (`df:{org}:...`, keys.h) stay on one node and its Lua
// scripts stay atomic.
//
//   KeyHashSlot("foo");                   // 12182
//   KeyHashSlot("{user1000}.following");  // == KeyHashSlot("user1000")
#pragma once

#include <cstdint>
#include <string_view>

namespace dermaflow::common {

inline constexpr int kRedisClusterSlots = 16384;

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), as Redis Cluster
// specifies it.
uint16_t Crc16Xmodem(std::string_view data);

// The part of `key` that is hashed: the text between the first '{' and the
// next '}' if that is not empty, else the whole key (the Redis rules, so
// "{}x" and "x{" hash whole and "{a}{b}" hashes "a").
std::string_view KeyHashTag(std::string_view key);

// 0..16383.
int KeyHashSlot(std::string_view key);

}  // namespace dermaflow::common
