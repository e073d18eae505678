#include "services/scheduling/update_mask.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "google/protobuf/descriptor.h"

namespace dermaflow::scheduling {

absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const std::set<std::string>& updatable,
                             google::protobuf::Message& target) {
  if (mask.paths().empty()) {
    return common::InvalidArgumentError("update_mask", "required: name the fields to change");
  }
  std::set<std::string> paths;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      paths.insert(updatable.begin(), updatable.end());
    } else if (updatable.count(path) == 0) {
      return common::InvalidArgumentError(
          "update_mask", absl::StrCat("\"", path, "\" cannot be updated; updatable: ",
                                      absl::StrJoin(updatable, ", ")));
    } else {
      paths.insert(path);
    }
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  for (const std::string& path : paths) {
    const auto* field = target.GetDescriptor()->FindFieldByName(path);
    if (field == nullptr) return absl::InternalError(absl::StrCat("no field ", path));
    fields.push_back(field);
  }
  std::unique_ptr<google::protobuf::Message> source(update.New());
  source->CopyFrom(update);
  target.GetReflection()->SwapFields(&target, source.get(), fields);
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
