// `-o yaml`: a message as YAML, made from its protobuf JSON (so field names,
// enums, timestamps and int64s read exactly as with -o json) by a small
// block-style emitter — no YAML library needed for output only. Keys come
// sorted, as kubectl prints them; strings that YAML would read as something
// else (numbers, booleans, dates, "no") are double-quoted.
//
//   MessageToYaml(patient)  // "birthDate:\n  day: 12\n  month: 4\n  year: 1988\nid: f0d7...\n"
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"

namespace dermaflow::dermactl {

absl::StatusOr<std::string> MessageToYaml(const google::protobuf::Message& message);

// The emitter itself, for any JSON value held as a google.protobuf.Value.
std::string ValueToYaml(const google::protobuf::Value& value);

}  // namespace dermaflow::dermactl
