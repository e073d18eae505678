#include "common/embed/built_in_content.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::common {

void DieLoading(std::string_view what, const absl::Status& error) {
  LogError(absl::StrCat("built-in ", std::string(what), " does not load"),
           {{"error", std::string(error.message())}});
  std::abort();
}

}  // namespace dermaflow::common
