// The KEYS of a Lua call that names keys beyond its fixed ones: each key is
// added once and referred to by its 1-based position (as a string, ready
// for ARGV), so a batch naming one patient's index a hundred times passes
// the key once.
//
//   ScriptKeys keys({records, queue});
//   args.push_back(keys.IndexOf(patient_index));  // "3"
//   redis.Eval(script, keys.Take(), args);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::notification {

class ScriptKeys {
 public:
  explicit ScriptKeys(std::vector<std::string> fixed) : keys_(std::move(fixed)) {}
  std::string IndexOf(const std::string& key) {
    auto [it, added] = positions_.emplace(key, static_cast<int>(keys_.size()) + 1);
    if (added) keys_.push_back(key);
    return absl::StrCat(it->second);
  }
  std::vector<std::string> Take() { return std::move(keys_); }

 private:
  std::vector<std::string> keys_;
  // Hashed: the keys share a long tenant prefix, which makes ordered compares slow.
  absl::flat_hash_map<std::string, int> positions_;
};

}  // namespace dermaflow::notification
