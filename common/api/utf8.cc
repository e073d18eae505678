#include "common/api/utf8.h"

namespace dermaflow::common {

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // count lead bytes only
  return n;
}

bool Utf8LengthBetween(std::string_view text, size_t min, size_t max) {
  const size_t n = Utf8Length(text);
  return n >= min && n <= max;
}

}  // namespace dermaflow::common
