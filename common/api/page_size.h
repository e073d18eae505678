// page_size of every List RPC, as the API conventions say: 0 means the
// list's default, values above its maximum are treated as the maximum,
// negative is INVALID_ARGUMENT naming `page_size`.
//
//   DF_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(request.page_size()));  // 0 -> 50
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"

namespace dermaflow::common {

struct PageSizeLimits {
  int default_size = 50;
  int max_size = 500;
};

absl::StatusOr<int> EffectivePageSize(int32_t requested, PageSizeLimits limits = {});

}  // namespace dermaflow::common
