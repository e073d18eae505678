#include "common/api/page_size.h"

#include <algorithm>

#include "common/status/errors.h"

namespace dermaflow::common {

absl::StatusOr<int> EffectivePageSize(int32_t requested, PageSizeLimits limits) {
  if (requested < 0) return InvalidArgumentError("page_size", "must not be negative");
  if (requested == 0) return limits.default_size;
  return std::min<int>(requested, limits.max_size);
}

}  // namespace dermaflow::common
