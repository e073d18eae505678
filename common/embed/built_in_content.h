// Loading content compiled into the binary (embedded_file.h): every file
// parsed by one function, and the built-in set taken as it is or not at all.
// A unit test loads every built-in file, so a file that does not load is a
// broken build, not a runtime condition: the process stops naming the file.
//
//   absl::StatusOr<std::vector<Entry>> ParseCatalog(std::span<const EmbeddedFile> files) {
//     return ParseEach<Entry>(files, ParseEntry);  // ParseEntry: one file -> StatusOr<Entry>
//   }
//   static const auto* catalog =
//       new std::vector<Entry>(LoadedOrDie(ParseCatalog(CatalogFiles()), "catalog"));
#pragma once

#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/embed/embedded_file.h"

namespace dermaflow::common {

// parse(file) for each file in order; the first error.
template <typename T, typename Parse>
absl::StatusOr<std::vector<T>> ParseEach(std::span<const EmbeddedFile> files, Parse parse) {
  std::vector<T> result;
  for (const EmbeddedFile& file : files) {
    absl::StatusOr<T> item = parse(file);
    if (!item.ok()) return item.status();
    result.push_back(*std::move(item));
  }
  return result;
}

// Logs "built-in <what> does not load" with the error and aborts.
[[noreturn]] void DieLoading(std::string_view what, const absl::Status& error);

template <typename T>
T LoadedOrDie(absl::StatusOr<T> loaded, std::string_view what) {
  if (!loaded.ok()) DieLoading(what, loaded.status());
  return *std::move(loaded);
}

}  // namespace dermaflow::common
