// Reading an embedded data file (embedded_file.h) written in protobuf text
// format: the one parser for content files, with errors that name the file
// and line, so a typo in a catalog or template file reads like a compiler's.
//
//   v1::Protocol p;
//   DF_RETURN_IF_ERROR(ParseTextProtoFile(file, p));
//   std::string_view key = TextProtoFileStem(file);  // "mesobotox"
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "common/embed/embedded_file.h"
#include "google/protobuf/message.h"

namespace dermaflow::common {

// INVALID_ARGUMENT "<path>:<line>:<column>: <problem>" when the contents do
// not parse as `message`'s type (an unknown field is a problem too).
absl::Status ParseTextProtoFile(const EmbeddedFile& file, google::protobuf::Message& message);

// The file's name without its folder and ".textproto"; empty when it has
// another ending.
std::string_view TextProtoFileStem(const EmbeddedFile& file);

}  // namespace dermaflow::common
