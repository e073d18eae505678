#include "common/api/field_limits.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "common/time/time_zone_name.h"

namespace dermaflow::common {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fields whose text is written by people at length (notes, clinical text).
bool IsLongText(std::string_view name) {
  for (std::string_view long_text : {"description", "notes", "free_text", "body", "text", "reason",
                                     "side_effects_normal", "when_to_call"}) {
    if (name == long_text) return true;
  }
  return false;
}

// id, etag, request_id, patient_id, clinic_ids, catalog_key, …
bool IsIdentifierName(std::string_view name) {
  return name == "id" || name == "etag" || name.ends_with("_id") || name.ends_with("_ids") ||
         name.ends_with("_key") || name.ends_with("_keys");
}

bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("._~-").find(c) != std::string_view::npos;
}

// Walks one message, adding a violation per field out of bounds.
class LimitChecker {
 public:
  explicit LimitChecker(FieldViolations& violations) : violations_(violations) {}

  void Check(const Message& message, const std::string& prefix) {
    const Reflection& reflection = *message.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection.ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) {
      std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
      if (field->is_repeated()) {
        CheckRepeated(message, *field, path);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        std::string scratch;
        CheckString(reflection.GetStringReference(message, field, &scratch), *field, path);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Check(reflection.GetMessage(message, field), path);
      }
    }
  }

 private:
  void CheckRepeated(const Message& message, const FieldDescriptor& field,
                     const std::string& path) {
    const Reflection& reflection = *message.GetReflection();
    const int size = reflection.FieldSize(message, &field);
    if (static_cast<size_t>(size) > kMaxRepeatedCount) {
      violations_.Add(path, absl::StrCat("at most ", kMaxRepeatedCount, " elements"));
      return;  // its elements are not read: the count alone refuses the request
    }
    for (int i = 0; i < size; ++i) {
      std::string element = absl::StrCat(path, "[", i, "]");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        std::string scratch;
        CheckString(reflection.GetRepeatedStringReference(message, &field, i, &scratch), field,
                    element);
      } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Check(reflection.GetRepeatedMessage(message, &field, i), element);
      }
    }
  }

  void CheckString(const std::string& value, const FieldDescriptor& field,
                   const std::string& path) {
    if (value.empty()) return;
    const FieldLimit limit = LimitFor(field);
    // Bytes bound characters from above, so most values skip the count.
    if (value.size() > limit.max_chars && Utf8Length(value) > limit.max_chars) {
      violations_.Add(path, absl::StrCat("at most ", limit.max_chars, " characters"));
      return;
    }
    if (field.type() == FieldDescriptor::TYPE_BYTES) return;
    switch (limit.shape) {
      case FieldShape::kText:
        break;
      case FieldShape::kIdentifier:
        if (!IsIdentifier(value)) {
          violations_.Add(path, "may only contain letters, digits and . _ ~ -");
        }
        break;
      case FieldShape::kTimeZone:
        if (!IsIanaTimeZoneName(value)) violations_.Add(path, kTimeZoneHint);
        break;
    }
  }

  FieldViolations& violations_;
};

}  // namespace

FieldLimit LimitFor(const FieldDescriptor& field) {
  const std::string& name = field.name();
  if (IsIdentifierName(name)) {
    return {kMaxIdentifierLength, FieldShape::kIdentifier};
  }
  if (name == "time_zone") return {kMaxIdentifierLength, FieldShape::kTimeZone};
  if (name == "page_token") return {kMaxPageTokenLength, FieldShape::kText};
  if (IsLongText(name)) return {kMaxLongTextLength, FieldShape::kText};
  return {kMaxTextLength, FieldShape::kText};
}

bool IsIdentifier(std::string_view text) {
  if (text.empty() || text.size() > kMaxIdentifierLength) return false;
  for (char c : text) {
    if (!IsIdentifierChar(c)) return false;
  }
  return true;
}

absl::Status CheckFieldLimits(const Message& request) {
  FieldViolations violations;
  LimitChecker(violations).Check(request, "");
  return violations.ToStatus();
}

}  // namespace dermaflow::common
