#include "tools/dermactl/yaml.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::dermactl {
namespace {

using google::protobuf::Value;

// Words YAML 1.1 readers (PyYAML, Helm) take for booleans or null.
bool IsReservedWord(const std::string& text) {
  static constexpr const char* kWords[] = {"y",   "yes",  "n", "no",   "true", "false", "on",
                                           "off", "null", "~", ".nan", ".inf", "-.inf"};
  const std::string lower = absl::AsciiStrToLower(text);
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char* w) { return lower == w; });
}

// Plain (unquoted) only when nothing could misread it: starts with a letter
// or one of "_/.", holds no ": " or " #", and is not a reserved word.
bool CanBePlain(const std::string& s) {
  if (s.empty() || IsReservedWord(s)) return false;
  const unsigned char first = s.front();
  if (!absl::ascii_isalpha(first) && first != '_' && first != '/' && first != '.' && first < 0x80) {
    return false;
  }
  if (s.back() == ' ' || s.back() == ':' || absl::StrContains(s, ": ") ||
      absl::StrContains(s, " #")) {
    return false;
  }
  double number;
  if (absl::SimpleAtod(s, &number)) return false;  // "inf", "nan", "1e5"
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// YAML's double-quoted style accepts every JSON string escape.
std::string Quoted(const std::string& s) { return "\"" + common::JsonEscape(s) + "\""; }

// A multi-line text (message bodies) as a literal block: `|-` keeps it
// readable; lines are indented under their key.
bool UseBlock(const std::string& s) {
  if (!absl::StrContains(s, '\n') || s.front() == ' ' || s.front() == '\n') return false;
  return std::none_of(s.begin(), s.end(),
                      [](unsigned char c) { return (c < 0x20 && c != '\n') || c == 0x7f; });
}

std::string Block(const std::string& s, int indent) {
  const bool trailing_newline = s.back() == '\n';
  std::string body = trailing_newline ? s.substr(0, s.size() - 1) : s;
  std::string out = trailing_newline ? "|\n" : "|-\n";
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (!line.empty()) absl::StrAppend(&out, std::string(indent, ' '), line);
    out += "\n";
  }
  return out;
}

std::string Number(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(d));
  }
  return absl::StrFormat("%.17g", d);
}

bool IsEmptyCollection(const Value& v) {
  return (v.has_struct_value() && v.struct_value().fields().empty()) ||
         (v.has_list_value() && v.list_value().values().empty());
}

// A scalar (or empty collection) after "key:" or "-", with its newline.
std::string Scalar(const Value& v, int indent) {
  switch (v.kind_case()) {
    case Value::kNullValue:
      return "null\n";
    case Value::kBoolValue:
      return v.bool_value() ? "true\n" : "false\n";
    case Value::kNumberValue:
      return Number(v.number_value()) + "\n";
    case Value::kStringValue: {
      const std::string& s = v.string_value();
      if (UseBlock(s)) return Block(s, indent);
      return (CanBePlain(s) ? s : Quoted(s)) + "\n";
    }
    case Value::kStructValue:
      return "{}\n";
    case Value::kListValue:
      return "[]\n";
    default:
      return "null\n";
  }
}

void Emit(const Value& v, int indent, std::string& out);

// Map entries at `indent`; list items ("- ") at the indent of their key, as
// kubectl prints them.
void EmitMap(const google::protobuf::Struct& s, int indent, std::string& out) {
  std::vector<std::string> keys;
  for (const auto& [key, unused] : s.fields()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    const Value& v = s.fields().at(key);
    absl::StrAppend(&out, std::string(indent, ' '), CanBePlain(key) ? key : Quoted(key), ":");
    if (v.has_struct_value() && !IsEmptyCollection(v)) {
      out += "\n";
      EmitMap(v.struct_value(), indent + 2, out);
    } else if (v.has_list_value() && !IsEmptyCollection(v)) {
      out += "\n";
      Emit(v, indent, out);
    } else {
      absl::StrAppend(&out, " ", Scalar(v, indent + 2));
    }
  }
}

void Emit(const Value& v, int indent, std::string& out) {
  if (v.has_struct_value() && !IsEmptyCollection(v)) {
    EmitMap(v.struct_value(), indent, out);
    return;
  }
  if (!v.has_list_value() || IsEmptyCollection(v)) {
    out += Scalar(v, indent);
    return;
  }
  for (const Value& item : v.list_value().values()) {
    const std::string dash = std::string(indent, ' ') + "- ";
    if (IsEmptyCollection(item) || !(item.has_struct_value() || item.has_list_value())) {
      absl::StrAppend(&out, dash, Scalar(item, indent + 2));
      continue;
    }
    // A nested collection starts on the dash's line: render it two deeper,
    // then put the dash in place of its first indentation.
    std::string nested;
    Emit(item, indent + 2, nested);
    absl::StrAppend(&out, dash, nested.substr(indent + 2));
  }
}

}  // namespace

std::string ValueToYaml(const Value& value) {
  std::string out;
  Emit(value, 0, out);
  return out;
}

absl::StatusOr<std::string> MessageToYaml(const google::protobuf::Message& message) {
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  Value value;
  status = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return ValueToYaml(value);
}

}  // namespace dermaflow::dermactl
