#include "services/protocol/domain/protocol_validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/utf8.h"
#include "services/protocol/domain/localized_text.h"

namespace dermaflow::protocol {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

std::string Path(std::string_view prefix, std::string_view field) {
  return absl::StrCat(absl::string_view(prefix.data(), prefix.size()), ".",
                      absl::string_view(field.data(), field.size()));
}

std::string Indexed(std::string_view prefix, std::string_view field, int index) {
  return absl::StrCat(Path(prefix, field), "[", index, "]");
}

// BCP-47 as far as we need it: a 2-3 letter language, then subtags of 1-8
// letters or digits ("de", "de-AT", "zh-Hant-TW").
bool IsValidLocale(std::string_view locale) {
  size_t i = 0;
  while (i < locale.size() && absl::ascii_isalpha(locale[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < locale.size()) {
    if (locale[i] != '-') return false;
    size_t start = ++i;
    while (i < locale.size() && absl::ascii_isalnum(locale[i])) ++i;
    if (i - start < 1 || i - start > 8) return false;
  }
  return true;
}

// `required`: at least one translation. Every text that has translations
// needs an English one, the fallback every reader ends at.
void CheckText(const v1::LocalizedText& text, const std::string& field, size_t max_length,
               bool required, common::FieldViolations& v) {
  if (text.translations().empty()) {
    if (required) v.Add(field, "at least one translation (including \"en\") is required");
    return;
  }
  std::set<std::string> seen;
  bool has_english = false;
  for (int i = 0; i < text.translations_size(); ++i) {
    const auto& t = text.translations(i);
    const std::string path = absl::StrCat(field, ".translations[", i, "]");
    if (!IsValidLocale(t.locale())) {
      v.Add(path + ".locale", "must be a BCP-47 tag such as \"de\" or \"de-AT\"");
    } else if (!seen.insert(absl::AsciiStrToLower(t.locale())).second) {
      v.Add(path + ".locale", "each locale at most once");
    }
    if (LanguageOf(t.locale()) == "en") has_english = true;
    size_t length = common::Utf8Length(t.text());
    if (absl::StripAsciiWhitespace(t.text()).empty()) {
      v.Add(path + ".text", "must not be empty");
    } else if (length > max_length) {
      v.Add(path + ".text", absl::StrCat("at most ", max_length, " characters"));
    }
  }
  if (!has_english) v.Add(field, "an English (\"en\") translation is required");
}

absl::Duration ToAbsl(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

std::string Describe(absl::Duration d) { return absl::FormatDuration(d); }

// Checks a Duration that is set: whole seconds (or whole minutes), within
// [min, max].
void CheckDuration(const google::protobuf::Duration& d, const std::string& field,
                   absl::Duration min, absl::Duration max, bool whole_minutes,
                   common::FieldViolations& v) {
  if (d.seconds() < 0 || d.nanos() < 0) {
    v.Add(field, "must not be negative");
    return;
  }
  if (d.nanos() != 0 || (whole_minutes && d.seconds() % 60 != 0)) {
    v.Add(field, whole_minutes ? "must be whole minutes" : "must be whole seconds");
    return;
  }
  absl::Duration value = ToAbsl(d);
  if (value < min || value > max) {
    v.Add(field, absl::StrCat("must be between ", Describe(min), " and ", Describe(max)));
  }
}

// Proto3 enums are open: an unknown number arrives as is and must be refused.
bool IsKnownAndSet(int value, bool (*is_valid)(int)) { return value != 0 && is_valid(value); }

void CheckCoursePlan(const v1::Protocol& p, const std::string& field, common::FieldViolations& v) {
  if (!p.has_course_plan()) {
    v.Add(field, "is required");
    return;
  }
  const auto& plan = p.course_plan();
  if (plan.session_count() < 0 || plan.session_count() > kMaxSessionCount) {
    v.Add(field + ".session_count",
          absl::StrCat("must be 1 to ", kMaxSessionCount, ", or 0 for \"individual\""));
  }
  const bool one_session = plan.session_count() == 1;
  const bool has_interval = plan.has_interval() && ToAbsl(plan.interval()) != absl::ZeroDuration();
  if (!one_session && !has_interval) {
    v.Add(field + ".interval", "is required unless the course has exactly one session");
  }
  if (has_interval) {
    CheckDuration(plan.interval(), field + ".interval", absl::Seconds(1), 365 * kDay, false, v);
    // Sessions of one course must not overlap.
    if (p.has_session_duration() && ToAbsl(plan.interval()) < ToAbsl(p.session_duration())) {
      v.Add(field + ".interval", "must not be shorter than session_duration");
    }
  }
  if (plan.has_tolerance()) {
    CheckDuration(plan.tolerance(), field + ".tolerance", absl::ZeroDuration(), 365 * kDay, false,
                  v);
    if (ToAbsl(plan.tolerance()) > ToAbsl(plan.interval()) / 2) {
      v.Add(field + ".tolerance", "must be at most half the interval");
    }
  }
}

void CheckCareRules(const google::protobuf::RepeatedPtrField<v1::CareRule>& rules,
                    const std::string& field, bool pre_care, common::FieldViolations& v) {
  std::set<std::string> codes;
  for (int i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i];
    const std::string path = absl::StrCat(field, "[", i, "]");
    if (!IsValidCode(rule.code())) {
      v.Add(path + ".code", "must be 1-64 characters of [a-z0-9_]");
    } else if (!codes.insert(rule.code()).second) {
      v.Add(path + ".code", "each code at most once");
    }
    if (rule.has_offset()) {
      CheckDuration(rule.offset(), path + ".offset", absl::ZeroDuration(), 30 * kDay, false, v);
    }
    if (rule.has_duration()) {
      if (pre_care && ToAbsl(rule.duration()) != absl::ZeroDuration()) {
        v.Add(path + ".duration", "pre-care rules hold until the session; leave it unset");
      } else {
        CheckDuration(rule.duration(), path + ".duration", absl::ZeroDuration(), 90 * kDay, false,
                      v);
      }
    }
    CheckText(rule.text(), path + ".text", kMaxCareTextLength, true, v);
    const int when = rule.applies_when();
    if (!IsKnownAndSet(when, v1::CareCondition_IsValid)) {
      v.Add(path + ".applies_when", "must be a known CareCondition other than UNSPECIFIED");
    } else if (pre_care && when != v1::CARE_CONDITION_ALWAYS &&
               when != v1::CARE_CONDITION_FACIAL_AREA_TREATED &&
               when != v1::CARE_CONDITION_BODY_AREA_TREATED) {
      v.Add(path + ".applies_when",
            "pre-care rules may use ALWAYS, FACIAL_AREA_TREATED or BODY_AREA_TREATED only");
    }
  }
}

}  // namespace

bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_')) return false;
  }
  return true;
}

void ValidateProtocol(const v1::Protocol& p, std::string_view prefix, common::FieldViolations& v) {
  if (!IsKnownAndSet(p.category(), v1::ProtocolCategory_IsValid)) {
    v.Add(Path(prefix, "category"), "must be a known ProtocolCategory other than UNSPECIFIED");
  }
  CheckText(p.display_name(), Path(prefix, "display_name"), kMaxDisplayNameLength, true, v);
  CheckText(p.description(), Path(prefix, "description"), kMaxDescriptionLength, false, v);

  if (p.areas().empty()) v.Add(Path(prefix, "areas"), "at least one area is required");
  std::set<int> areas;
  for (int i = 0; i < p.areas_size(); ++i) {
    const int area = p.areas(i);
    if (!IsKnownAndSet(area, v1::TreatmentArea_IsValid)) {
      v.Add(Indexed(prefix, "areas", i), "must be a known TreatmentArea other than UNSPECIFIED");
    } else if (!areas.insert(area).second) {
      v.Add(Indexed(prefix, "areas", i), "each area at most once");
    }
  }

  if (!p.has_session_duration()) {
    v.Add(Path(prefix, "session_duration"), "is required");
  } else {
    CheckDuration(p.session_duration(), Path(prefix, "session_duration"), kMinSessionDuration,
                  kMaxSessionDuration, true, v);
  }
  CheckCoursePlan(p, Path(prefix, "course_plan"), v);

  if (p.follow_ups_size() > kMaxFollowUps) {
    v.Add(Path(prefix, "follow_ups"), absl::StrCat("at most ", kMaxFollowUps));
  }
  std::set<std::string> follow_up_codes;
  for (int i = 0; i < p.follow_ups_size(); ++i) {
    const auto& f = p.follow_ups(i);
    const std::string path = Indexed(prefix, "follow_ups", i);
    if (!IsValidCode(f.code())) {
      v.Add(path + ".code", "must be 1-64 characters of [a-z0-9_]");
    } else if (!follow_up_codes.insert(f.code()).second) {
      v.Add(path + ".code", "each code at most once");
    }
    if (!f.has_offset()) {
      v.Add(path + ".offset", "is required");
    } else {
      CheckDuration(f.offset(), path + ".offset", absl::Seconds(1), 365 * kDay, false, v);
    }
    CheckText(f.text(), path + ".text", kMaxFollowUpTextLength, true, v);
  }

  if (p.has_maintenance()) {
    const auto& m = p.maintenance();
    const std::string path = Path(prefix, "maintenance");
    if (m.interval_months() < 1 || m.interval_months() > kMaxMaintenanceMonths) {
      v.Add(path + ".interval_months", absl::StrCat("must be 1 to ", kMaxMaintenanceMonths));
    }
    if (m.has_reminder_lead()) {
      CheckDuration(m.reminder_lead(), path + ".reminder_lead", absl::ZeroDuration(), 90 * kDay,
                    false, v);
    }
    if (m.has_nudge_delay()) {
      CheckDuration(m.nudge_delay(), path + ".nudge_delay", absl::ZeroDuration(), 365 * kDay, false,
                    v);
    }
  }

  std::set<int> substances;
  for (int i = 0; i < p.ingredients_size(); ++i) {
    const auto& ingredient = p.ingredients(i);
    const std::string path = Indexed(prefix, "ingredients", i);
    const int substance = ingredient.substance();
    if (!IsKnownAndSet(substance, patient::v1::AllergySubstance_IsValid)) {
      v.Add(path + ".substance", "must be a known AllergySubstance other than UNSPECIFIED");
    } else if (!substances.insert(substance).second) {
      v.Add(path + ".substance", "each substance at most once");
    }
    CheckText(ingredient.description(), path + ".description", kMaxShortTextLength, false, v);
  }

  std::set<int> codes;
  for (int i = 0; i < p.contraindications_size(); ++i) {
    const auto& c = p.contraindications(i);
    const std::string path = Indexed(prefix, "contraindications", i);
    if (!IsKnownAndSet(c.code(), v1::ContraindicationCode_IsValid)) {
      v.Add(path + ".code", "must be a known ContraindicationCode other than UNSPECIFIED");
    } else if (!codes.insert(c.code()).second) {
      // The proto names the list itself for a code given twice.
      v.Add(Path(prefix, "contraindications"),
            absl::StrCat("code ", v1::ContraindicationCode_Name(c.code()), " given twice"));
    }
    if (!IsKnownAndSet(c.severity(), v1::ContraindicationSeverity_IsValid)) {
      v.Add(path + ".severity", "must be ABSOLUTE or RELATIVE");
    }
    CheckText(c.message(), path + ".message", kMaxShortTextLength, false, v);
  }

  CheckCareRules(p.pre_care(), Path(prefix, "pre_care"), /*pre_care=*/true, v);
  CheckCareRules(p.aftercare(), Path(prefix, "aftercare"), /*pre_care=*/false, v);

  if (p.has_aftercare_check_in_offset()) {
    CheckDuration(p.aftercare_check_in_offset(), Path(prefix, "aftercare_check_in_offset"),
                  absl::Seconds(1), 30 * kDay, false, v);
  }
  CheckText(p.side_effects_normal(), Path(prefix, "side_effects_normal"), kMaxPatientInfoLength,
            false, v);
  CheckText(p.when_to_call(), Path(prefix, "when_to_call"), kMaxPatientInfoLength, false, v);
  if (common::Utf8Length(p.change_note()) > kMaxShortTextLength) {
    v.Add(Path(prefix, "change_note"),
          absl::StrCat("at most ", kMaxShortTextLength, " characters"));
  }
}

}  // namespace dermaflow::protocol
