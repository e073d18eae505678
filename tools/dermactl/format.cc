#include "tools/dermactl/format.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dermaflow::dermactl {
namespace {

// "ReminderKind" -> "REMINDER_KIND_", the AIP/buf prefix of its values.
std::string ValuePrefix(const std::string& type_name) {
  std::string out;
  for (size_t i = 0; i < type_name.size(); ++i) {
    char c = type_name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) out += '_';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out + "_";
}

}  // namespace

std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  std::string name = v->name();
  std::string prefix = ValuePrefix(type->name());
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts) { return common::ToTime(ts); }

std::string FormatTime(const google::protobuf::Timestamp& ts, const absl::TimeZone& zone) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", ToAbslTime(ts), zone);
}

absl::TimeZone ZoneOr(const std::string& name, const absl::TimeZone& fallback) {
  absl::TimeZone zone;
  if (!name.empty() && absl::LoadTimeZone(name, &zone)) return zone;
  return fallback;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string FormatTimeOfDay(const google::type::TimeOfDay& time) {
  return absl::StrFormat("%02d:%02d", time.hours(), time.minutes());
}

std::string FormatDuration(const google::protobuf::Duration& d) {
  constexpr int64_t kMinutesPerDay = int64_t{24} * 60;
  int64_t minutes = d.seconds() / 60;
  if (minutes == 0) return d.seconds() == 0 ? "0" : absl::StrCat(d.seconds(), "s");
  if (minutes % kMinutesPerDay == 0) return absl::StrCat(minutes / kMinutesPerDay, "d");
  std::string out;
  if (minutes >= 60) out = absl::StrCat(minutes / 60, "h");
  if (minutes % 60 != 0) absl::StrAppend(&out, minutes % 60, "m");
  return out;
}

std::string PickText(const protocol::v1::LocalizedText& text, const std::string& locale) {
  const std::string language = locale.substr(0, locale.find('-'));
  for (const std::string& want : {locale, language, std::string("en")}) {
    for (const auto& t : text.translations()) {
      if (t.locale() == want) return t.text();
    }
  }
  return text.translations().empty() ? "" : text.translations(0).text();
}

}  // namespace dermaflow::dermactl
