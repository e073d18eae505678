// A data file compiled into the binary by dermaflow_embed_files
// (cmake/embed_files.cmake): content such as clinical texts and message
// templates, kept as files so rewording one needs no C++ change.
//
//   for (const common::EmbeddedFile& f : CatalogFiles()) {
//     Parse(f.path, f.contents);  // "services/protocol/catalog/mesobotox.textproto"
//   }
#pragma once

#include <string_view>

namespace dermaflow::common {

struct EmbeddedFile {
  std::string_view path;      // from the repo root
  std::string_view contents;  // the file's bytes
};

}  // namespace dermaflow::common
