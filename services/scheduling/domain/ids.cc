#include "services/scheduling/domain/ids.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"

namespace dermaflow::scheduling {
namespace {

std::string RandomHex(int digits) {
  thread_local absl::BitGen gen;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digits, '0');
  for (char& c : out) c = kHex[absl::Uniform(gen, 0, 16)];
  return out;
}

}  // namespace

std::string NewId(absl::string_view prefix) { return absl::StrCat(prefix, "_", RandomHex(20)); }

std::string NewEtag() { return RandomHex(16); }

}  // namespace dermaflow::scheduling
