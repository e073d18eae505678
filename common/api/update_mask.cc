#include "common/api/update_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "google/protobuf/util/field_mask_util.h"

namespace dermaflow::common {
namespace {

using google::protobuf::util::FieldMaskUtil;

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool IsUpdatable(const google::protobuf::Descriptor* type, const std::string& path,
                 const UpdatableFields& updatable) {
  if (!FieldMaskUtil::GetFieldDescriptors(type, path, nullptr)) return false;
  if (Contains(updatable.paths, path)) return true;
  const size_t dot = path.rfind('.');
  return dot != std::string::npos && Contains(updatable.paths, path.substr(0, dot) + ".*") &&
         !Contains(updatable.read_only, path);
}

std::string Refused(const std::string& path, const UpdatableFields& updatable) {
  std::string text = absl::StrCat(
      "\"", path, "\" cannot be updated; updatable: ", absl::StrJoin(updatable.paths, ", "));
  if (!updatable.hint.empty()) absl::StrAppend(&text, " (", updatable.hint, ")");
  return text;
}

}  // namespace

absl::StatusOr<google::protobuf::FieldMask> CheckUpdateMask(
    const google::protobuf::Descriptor* type, const google::protobuf::FieldMask& mask,
    const UpdatableFields& updatable) {
  if (mask.paths().empty()) {
    return InvalidArgumentError("update_mask", "must name at least one field (or \"*\")");
  }
  google::protobuf::FieldMask checked;
  const auto add = [&](const std::string& path) {
    if (!Contains({checked.paths().begin(), checked.paths().end()}, path)) checked.add_paths(path);
  };
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (const std::string& top : updatable.paths) {
        if (top.find('.') == std::string::npos) add(top);
      }
    } else if (IsUpdatable(type, path, updatable)) {
      add(path);
    } else {
      return InvalidArgumentError("update_mask", Refused(path, updatable));
    }
  }
  return checked;
}

void MergeUpdate(const google::protobuf::Message& update,
                 const google::protobuf::FieldMask& checked, google::protobuf::Message& target) {
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(update, checked, options, &target);
}

absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const UpdatableFields& updatable, google::protobuf::Message& target) {
  DF_ASSIGN_OR_RETURN(google::protobuf::FieldMask checked,
                      CheckUpdateMask(target.GetDescriptor(), mask, updatable));
  MergeUpdate(update, checked, target);
  return absl::OkStatus();
}

}  // namespace dermaflow::common
