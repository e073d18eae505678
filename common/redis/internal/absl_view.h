// Debian's Abseil (20220623) is built with its own absl::string_view, not an
// alias of std::string_view, so absl::StrCat & co. do not take the
// std::string_view our headers use. This bridges the two in .cc files.
//
//   absl::StrCat("redis ", ToAbsl(endpoint));
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace dermaflow::common::redis_internal {

inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace dermaflow::common::redis_internal
