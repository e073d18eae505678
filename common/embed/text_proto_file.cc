#include "common/embed/text_proto_file.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace dermaflow::common {
namespace {

class ErrorList : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorList(std::string_view path) : path_(path) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(
        absl::StrCat(std::string(path_), ":", line + 1, ":", column + 1, ": ", message));
  }
  std::string Joined() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::string_view path_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::Status ParseTextProtoFile(const EmbeddedFile& file, google::protobuf::Message& message) {
  ErrorList errors(file.path);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (parser.ParseFromString(std::string(file.contents), &message)) return absl::OkStatus();
  return absl::InvalidArgumentError(errors.Joined());
}

std::string_view TextProtoFileStem(const EmbeddedFile& file) {
  constexpr std::string_view kSuffix = ".textproto";
  const std::string_view name = file.path.substr(file.path.find_last_of('/') + 1);
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return {};
  return name.substr(0, name.size() - kSuffix.size());
}

}  // namespace dermaflow::common
