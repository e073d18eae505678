// One case per field rule of a Patient, shared by the unit test of
// ValidatePatient and the gRPC test of CreatePatient (which also checks that
// nothing was written): each case breaks one rule of a valid patient and
// names the field BadRequest must name.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient.pb.h"

namespace dermaflow::patient::testing {

namespace v1 = ::dermaflow::patient::v1;

// A patient every rule accepts, born in 1985.
inline v1::Patient ValidPatient() {
  v1::Patient patient;
  patient.set_given_name("Anna");
  patient.set_family_name("Müller");
  patient.mutable_birth_date()->set_year(1985);
  patient.mutable_birth_date()->set_month(4);
  patient.mutable_birth_date()->set_day(12);
  patient.set_locale("de");
  patient.set_time_zone("Europe/Berlin");
  patient.mutable_contact()->set_email("anna.mueller@example.org");
  patient.mutable_contact()->set_phone("+4915112345678");
  patient.set_preferred_channel(v1::CHANNEL_SMS);
  patient.mutable_quiet_hours()->mutable_start()->set_hours(21);
  patient.mutable_quiet_hours()->mutable_end()->set_hours(8);
  auto* consent = patient.add_consents();
  consent->set_channel(v1::CHANNEL_SMS);
  consent->set_state(v1::CONSENT_STATE_GIVEN);
  consent->set_reason("signed registration form");
  auto* profile = patient.mutable_medical_profile();
  profile->set_pregnant(false);
  profile->set_has_allergies(true);
  auto* allergy = profile->add_allergies();
  allergy->set_substance(v1::ALLERGY_SUBSTANCE_LIDOCAINE);
  profile->set_fitzpatrick_skin_type(v1::FITZPATRICK_SKIN_TYPE_III);
  patient.set_home_clinic_id("clinic-berlin-mitte");
  return patient;
}

struct InvalidPatientCase {
  std::string name;
  std::string field;  // as BadRequest names it
  // Breaks one rule; `today` is the UTC date of the test clock.
  std::function<void(v1::Patient&, absl::CivilDay today)> mutate;
};

inline std::vector<InvalidPatientCase> InvalidPatientCases() {
  using P = v1::Patient&;
  using D = absl::CivilDay;
  const auto date = [](P p, D d) {
    p.mutable_birth_date()->set_year(static_cast<int>(d.year()));
    p.mutable_birth_date()->set_month(d.month());
    p.mutable_birth_date()->set_day(d.day());
  };
  return {
      {"GivenNameEmpty", "patient.given_name", [](P p, D) { p.set_given_name(""); }},
      {"GivenNameOnlySpaces", "patient.given_name", [](P p, D) { p.set_given_name("   "); }},
      {"GivenNameTooLong", "patient.given_name",
       [](P p, D) { p.set_given_name(std::string(101, 'a')); }},
      {"GivenNameControlCharacter", "patient.given_name",
       [](P p, D) { p.set_given_name("An\x01na"); }},
      {"FamilyNameEmpty", "patient.family_name", [](P p, D) { p.set_family_name(""); }},
      {"FamilyNameTooLong", "patient.family_name",
       [](P p, D) {
         std::string name;
         for (int i = 0; i < 101; ++i) name += "ü";  // 101 characters, 202 bytes
         p.set_family_name(name);
       }},
      {"BirthDateMissing", "patient.birth_date", [](P p, D) { p.clear_birth_date(); }},
      {"BirthDateIncomplete", "patient.birth_date",
       [](P p, D) { p.mutable_birth_date()->set_day(0); }},
      {"BirthDateNotACalendarDate", "patient.birth_date",
       [](P p, D) { p.mutable_birth_date()->set_month(2), p.mutable_birth_date()->set_day(30); }},
      {"BirthDateInTheFuture", "patient.birth_date", [date](P p, D today) { date(p, today + 2); }},
      {"BirthDateImplausible", "patient.birth_date",
       [date](P p, D today) { date(p, D(today.year() - 131, today.month(), today.day())); }},
      {"LocaleMissing", "patient.locale", [](P p, D) { p.set_locale(""); }},
      {"LocaleUnsupported", "patient.locale", [](P p, D) { p.set_locale("fr"); }},
      {"LocaleMalformed", "patient.locale", [](P p, D) { p.set_locale("de_DE"); }},
      {"TimeZoneUnknown", "patient.time_zone", [](P p, D) { p.set_time_zone("Europe/Atlantis"); }},
      {"TimeZonePath", "patient.time_zone", [](P p, D) { p.set_time_zone("../../etc/passwd"); }},
      {"TimeZoneLocaltime", "patient.time_zone", [](P p, D) { p.set_time_zone("localtime"); }},
      {"EmailWithoutAt", "patient.contact.email",
       [](P p, D) { p.mutable_contact()->set_email("anna.example.org"); }},
      {"EmailWithoutDomain", "patient.contact.email",
       [](P p, D) { p.mutable_contact()->set_email("anna@"); }},
      {"EmailWithoutTld", "patient.contact.email",
       [](P p, D) { p.mutable_contact()->set_email("anna@example"); }},
      {"EmailDoubleDot", "patient.contact.email",
       [](P p, D) { p.mutable_contact()->set_email("an..na@example.org"); }},
      {"EmailTooLong", "patient.contact.email",
       [](P p, D) {
         p.mutable_contact()->set_email(std::string(64, 'a') + "@" + std::string(186, 'b') +
                                        ".org");
       }},
      {"PhoneNational", "patient.contact.phone",
       [](P p, D) { p.mutable_contact()->set_phone("015112345678"); }},
      {"PhoneWithSpaces", "patient.contact.phone",
       [](P p, D) { p.mutable_contact()->set_phone("+49 151 1234567"); }},
      {"PhoneCountryCodeZero", "patient.contact.phone",
       [](P p, D) { p.mutable_contact()->set_phone("+0151123456"); }},
      {"PhoneTooLong", "patient.contact.phone",
       [](P p, D) { p.mutable_contact()->set_phone("+4915112345678901"); }},
      {"PreferredChannelUnknown", "patient.preferred_channel",
       [](P p, D) { p.set_preferred_channel(static_cast<v1::Channel>(42)); }},
      {"QuietHoursWithoutStart", "patient.quiet_hours.start",
       [](P p, D) { p.mutable_quiet_hours()->clear_start(); }},
      {"QuietHoursEnd24", "patient.quiet_hours.end",
       [](P p, D) { p.mutable_quiet_hours()->mutable_end()->set_hours(24); }},
      {"QuietHoursSeconds", "patient.quiet_hours.start",
       [](P p, D) { p.mutable_quiet_hours()->mutable_start()->set_seconds(30); }},
      {"AllergyCodeUnspecified", "patient.medical_profile.allergies[0].substance",
       [](P p, D) {
         p.mutable_medical_profile()->mutable_allergies(0)->set_substance(
             v1::ALLERGY_SUBSTANCE_UNSPECIFIED);
       }},
      {"AllergyCodeUnknown", "patient.medical_profile.allergies[0].substance",
       [](P p, D) {
         p.mutable_medical_profile()->mutable_allergies(0)->set_substance(
             static_cast<v1::AllergySubstance>(77));
       }},
      {"AllergyListedTwice", "patient.medical_profile.allergies[1].substance",
       [](P p, D) {
         p.mutable_medical_profile()->add_allergies()->set_substance(
             v1::ALLERGY_SUBSTANCE_LIDOCAINE);
       }},
      {"AllergyOtherWithoutText", "patient.medical_profile.allergies[0].free_text",
       [](P p, D) {
         p.mutable_medical_profile()->mutable_allergies(0)->set_substance(
             v1::ALLERGY_SUBSTANCE_OTHER);
       }},
      {"AllergiesButNoneDeclared", "patient.medical_profile.allergies",
       [](P p, D) { p.mutable_medical_profile()->set_has_allergies(false); }},
      {"AllergiesDeclaredButNoneListed", "patient.medical_profile.allergies",
       [](P p, D) { p.mutable_medical_profile()->clear_allergies(); }},
      {"AllergiesListedButNotAsked", "patient.medical_profile.has_allergies",
       [](P p, D) { p.mutable_medical_profile()->clear_has_allergies(); }},
      {"SkinTypeUnknown", "patient.medical_profile.fitzpatrick_skin_type",
       [](P p, D) {
         p.mutable_medical_profile()->set_fitzpatrick_skin_type(
             static_cast<v1::FitzpatrickSkinType>(9));
       }},
      {"HomeClinicIdTooLong", "patient.home_clinic_id",
       [](P p, D) { p.set_home_clinic_id(std::string(65, 'c')); }},
      {"ConsentChannelUnspecified", "patient.consents[0].channel",
       [](P p, D) { p.mutable_consents(0)->set_channel(v1::CHANNEL_UNSPECIFIED); }},
      {"ConsentStateUnspecified", "patient.consents[0].state",
       [](P p, D) { p.mutable_consents(0)->set_state(v1::CONSENT_STATE_UNSPECIFIED); }},
      {"ConsentChannelTwice", "patient.consents",
       [](P p, D) { *p.add_consents() = p.consents(0); }},
      {"ConsentReasonTooLong", "patient.consents[0].reason",
       [](P p, D) { p.mutable_consents(0)->set_reason(std::string(501, 'r')); }},
  };
}

}  // namespace dermaflow::patient::testing
