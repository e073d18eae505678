#include "services/patient/domain/patient_validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/api/utf8.h"
#include "common/time/time_zone_name.h"
#include "services/patient/domain/locales.h"
#include "services/patient/domain/text_folding.h"

namespace dermaflow::patient {
namespace {

std::string Field(std::string_view prefix, std::string_view path) {
  return std::string(prefix) + std::string(path);
}

void AddIf(const Problem& problem, const std::string& field, common::FieldViolations& violations) {
  if (problem) violations.Add(field, *problem);
}

bool IsAsciiAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

Problem CheckDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return "the domain must be 1-253 characters";
  int labels = 0;
  std::string_view last;
  for (size_t start = 0; start <= domain.size();) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return "the domain has an empty or over-long label";
    for (char c : label) {
      if (!IsAsciiAlnum(c) && c != '-')
        return "the domain may only contain letters, digits, '-' and '.'";
    }
    if (label.front() == '-' || label.back() == '-')
      return "a domain label starts or ends with '-'";
    ++labels;
    last = label;
    start = dot + 1;
  }
  if (labels < 2) return "the domain needs a top-level domain (e.g. \"example.org\")";
  if (last.size() < 2) return "the top-level domain must be at least 2 characters";
  for (char c : last) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c)))
      return "the top-level domain must be letters";
  }
  return std::nullopt;
}

void ValidateQuietHours(const v1::QuietHours& quiet_hours, std::string_view prefix,
                        common::FieldViolations& violations) {
  const auto check = [&](bool present, const google::type::TimeOfDay& time, std::string_view name) {
    const std::string field = Field(prefix, name);
    if (!present) {
      violations.Add(field, "is required when quiet_hours is set");
    } else if (time.hours() < 0 || time.hours() > 23 || time.minutes() < 0 || time.minutes() > 59) {
      violations.Add(field, "must be a time of day from 00:00 to 23:59");
    } else if (time.seconds() != 0 || time.nanos() != 0) {
      violations.Add(field, "must be whole minutes (seconds and nanos 0)");
    }
  };
  check(quiet_hours.has_start(), quiet_hours.start(), "start");
  check(quiet_hours.has_end(), quiet_hours.end(), "end");
}

void ValidateMedicalProfile(const v1::MedicalProfile& profile, std::string_view prefix,
                            common::FieldViolations& violations) {
  if (profile.has_has_allergies()) {
    if (!profile.has_allergies() && profile.allergies_size() > 0) {
      violations.Add(Field(prefix, "allergies"), "must be empty when has_allergies is false");
    }
    if (profile.has_allergies() && profile.allergies_size() == 0) {
      violations.Add(Field(prefix, "allergies"),
                     "must list at least one allergy when has_allergies is true");
    }
  } else if (profile.allergies_size() > 0) {
    violations.Add(Field(prefix, "has_allergies"), "must be true when allergies are listed");
  }
  std::set<int> seen;
  for (int i = 0; i < profile.allergies_size(); ++i) {
    const v1::Allergy& allergy = profile.allergies(i);
    const std::string item = absl::StrCat(std::string(prefix), "allergies[", i, "]");
    if (allergy.substance() == v1::ALLERGY_SUBSTANCE_UNSPECIFIED ||
        !v1::AllergySubstance_IsValid(allergy.substance())) {
      violations.Add(item + ".substance", "unknown allergy code");
    } else if (!seen.insert(allergy.substance()).second) {
      violations.Add(item + ".substance", "lists the same substance twice");
    }
    if (allergy.substance() == v1::ALLERGY_SUBSTANCE_OTHER &&
        TrimSpaces(allergy.free_text()).empty()) {
      violations.Add(item + ".free_text", "is required for ALLERGY_SUBSTANCE_OTHER");
    } else {
      AddIf(CheckText(allergy.free_text(), /*required=*/false), item + ".free_text", violations);
    }
  }
  if (!v1::FitzpatrickSkinType_IsValid(profile.fitzpatrick_skin_type())) {
    violations.Add(Field(prefix, "fitzpatrick_skin_type"), "unknown skin type");
  }
}

}  // namespace

Problem CheckName(std::string_view trimmed_name) {
  if (trimmed_name.empty()) return "must not be empty";
  if (!IsValidUtf8(trimmed_name)) return "must be valid UTF-8";
  if (common::Utf8Length(trimmed_name) > kMaxNameLength)
    return absl::StrCat("must be at most ", kMaxNameLength, " characters");
  if (HasControlCharacter(trimmed_name)) return "must not contain control characters";
  return std::nullopt;
}

Problem CheckBirthDate(const google::type::Date& date, absl::Time now) {
  if (date.year() == 0 || date.month() == 0 || date.day() == 0) {
    return "must be a complete date (year, month and day)";
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) {
    return "is not a calendar date";
  }
  // The latest date anywhere on Earth, so a baby born today in the clinic's
  // zone is never "in the future" because of UTC.
  const absl::CivilDay today = absl::ToCivilDay(now, absl::FixedTimeZone(14 * 60 * 60));
  if (day > today) return "is in the future";
  const absl::CivilDay earliest(today.year() - kMaxAgeYears, today.month(), today.day());
  if (day < earliest)
    return absl::StrCat("is implausible (more than ", kMaxAgeYears, " years ago)");
  return std::nullopt;
}

Problem CheckLocale(std::string_view locale) {
  if (locale.empty()) return "is required (e.g. \"de\" or \"en\")";
  if (!CanonicalLocale(locale)) {
    std::string supported;
    for (std::string_view language : SupportedLanguages()) {
      if (!supported.empty()) supported += ", ";
      supported += std::string(language);
    }
    return absl::StrCat("is not a supported locale (languages: ", supported,
                        ", optionally with a region such as \"de-AT\")");
  }
  return std::nullopt;
}

Problem CheckTimeZone(std::string_view zone) {
  if (zone.empty()) return std::nullopt;
  absl::TimeZone tz;
  if (!common::LoadIanaTimeZone(zone, &tz)) return std::string(common::kTimeZoneHint);
  return std::nullopt;
}

Problem CheckEmail(std::string_view email) {
  if (email.empty()) return std::nullopt;
  if (email.size() > kMaxEmailLength)
    return absl::StrCat("must be at most ", kMaxEmailLength, " characters");
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return "is not an e-mail address (no '@')";
  const std::string_view local = email.substr(0, at);
  if (local.empty() || local.size() > 64) return "the part before '@' must be 1-64 characters";
  for (char c : local) {
    if (!IsAsciiAlnum(c) &&
        std::string_view("!#$%&'*+/=?^_`{|}~-.").find(c) == std::string_view::npos) {
      return "the part before '@' contains a character e-mail addresses cannot have";
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return "the part before '@' has a misplaced '.'";
  }
  return CheckDomain(email.substr(at + 1));
}

Problem CheckPhone(std::string_view phone) {
  if (phone.empty()) return std::nullopt;
  const auto bad = [] {
    return Problem("must be E.164: '+', country code and number, e.g. \"+4915112345678\"");
  };
  if (phone.size() < 8 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return bad();
  for (char c : phone.substr(1)) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return bad();
  }
  return std::nullopt;
}

Problem CheckHomeClinicId(std::string_view id) {
  if (id.size() > kMaxIdLength)
    return absl::StrCat("must be at most ", kMaxIdLength, " characters");
  if (HasControlCharacter(id) || !IsValidUtf8(id)) return "must be printable UTF-8";
  return std::nullopt;
}

Problem CheckText(std::string_view text, bool required) {
  if (required && TrimSpaces(text).empty()) return "is required";
  if (!IsValidUtf8(text)) return "must be valid UTF-8";
  if (common::Utf8Length(text) > kMaxTextLength)
    return absl::StrCat("must be at most ", kMaxTextLength, " characters");
  return std::nullopt;
}

bool IsWellFormedPatientId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    if (!IsAsciiAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

void ValidatePatient(v1::Patient& patient, absl::Time now, std::string_view prefix,
                     common::FieldViolations& violations) {
  patient.set_given_name(TrimSpaces(patient.given_name()));
  patient.set_family_name(TrimSpaces(patient.family_name()));
  AddIf(CheckName(patient.given_name()), Field(prefix, "given_name"), violations);
  AddIf(CheckName(patient.family_name()), Field(prefix, "family_name"), violations);

  if (!patient.has_birth_date()) {
    violations.Add(Field(prefix, "birth_date"), "is required");
  } else {
    AddIf(CheckBirthDate(patient.birth_date(), now), Field(prefix, "birth_date"), violations);
  }

  if (Problem problem = CheckLocale(patient.locale())) {
    violations.Add(Field(prefix, "locale"), *problem);
  } else {
    patient.set_locale(*CanonicalLocale(patient.locale()));
  }
  AddIf(CheckTimeZone(patient.time_zone()), Field(prefix, "time_zone"), violations);
  AddIf(CheckEmail(patient.contact().email()), Field(prefix, "contact.email"), violations);
  AddIf(CheckPhone(patient.contact().phone()), Field(prefix, "contact.phone"), violations);
  if (!v1::Channel_IsValid(patient.preferred_channel())) {
    violations.Add(Field(prefix, "preferred_channel"), "unknown channel");
  }
  if (patient.has_quiet_hours()) {
    ValidateQuietHours(patient.quiet_hours(), Field(prefix, "quiet_hours."), violations);
  }
  if (patient.has_medical_profile()) {
    ValidateMedicalProfile(patient.medical_profile(), Field(prefix, "medical_profile."),
                           violations);
  }
  AddIf(CheckHomeClinicId(patient.home_clinic_id()), Field(prefix, "home_clinic_id"), violations);
}

void ValidateInitialConsents(const google::protobuf::RepeatedPtrField<v1::ChannelConsent>& consents,
                             std::string_view prefix, common::FieldViolations& violations) {
  std::set<int> seen;
  for (int i = 0; i < consents.size(); ++i) {
    const v1::ChannelConsent& consent = consents.Get(i);
    const std::string item = absl::StrCat(std::string(prefix), "consents[", i, "]");
    if (consent.channel() == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(consent.channel())) {
      violations.Add(item + ".channel", "must be CHANNEL_EMAIL, CHANNEL_SMS or CHANNEL_IN_APP");
    } else if (!seen.insert(consent.channel()).second) {
      violations.Add(Field(prefix, "consents"),
                     absl::StrCat("has ", v1::Channel_Name(consent.channel()), " more than once"));
    }
    if (consent.state() == v1::CONSENT_STATE_UNSPECIFIED ||
        !v1::ConsentState_IsValid(consent.state())) {
      violations.Add(item + ".state", "must be CONSENT_STATE_GIVEN or CONSENT_STATE_WITHDRAWN");
    }
    AddIf(CheckText(consent.reason(), /*required=*/false), item + ".reason", violations);
  }
}

}  // namespace dermaflow::patient
