// The field rules of a Patient and of the request fields around it. Each
// rule is a small function returning what is wrong (or nothing), so unit
// tests can pin every rule; ValidatePatient applies them all and names each
// bad field the way google.rpc.BadRequest wants ("patient.contact.phone").
//
//   common::FieldViolations v;
//   ValidatePatient(patient, clock.Now(), "patient.", v);  // also trims names
//   DF_RETURN_IF_ERROR(v.ToStatus());
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/status/errors.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "google/protobuf/repeated_field.h"

namespace dermaflow::patient {

inline constexpr size_t kMaxNameLength = 100;   // code points, after trimming
inline constexpr size_t kMaxEmailLength = 254;  // RFC 5321 path limit
inline constexpr size_t kMaxTextLength = 500;   // reasons, allergy free text
inline constexpr size_t kMaxIdLength = 64;      // ids, request ids, clinic ids
inline constexpr int kMaxAgeYears = 130;        // older birth dates are typos

// What is wrong with a value, as English text for developers; nullopt if
// nothing is.
using Problem = std::optional<std::string>;

Problem CheckName(std::string_view trimmed_name);
// A complete, real calendar date, not after today anywhere on Earth (UTC+14)
// and not more than kMaxAgeYears before today.
Problem CheckBirthDate(const google::type::Date& date, absl::Time now);
// Required; see locales.h.
Problem CheckLocale(std::string_view locale);
// Optional (empty is fine); otherwise an IANA zone name tzdata knows.
Problem CheckTimeZone(std::string_view zone);
// Optional; syntactic check of "local@domain.tld" (ASCII, no quoted parts).
Problem CheckEmail(std::string_view email);
// Optional; E.164: "+", a country code not starting with 0, 7-15 digits.
Problem CheckPhone(std::string_view phone);
// Optional; another service's id, stored as given: at most 64 characters,
// no control characters.
Problem CheckHomeClinicId(std::string_view id);
// Free text kept as proof (consent and erasure reasons, allergy details).
Problem CheckText(std::string_view text, bool required);

// Whether `id` can be a server-assigned patient id at all; anything else is
// simply not found (ids are opaque, so a malformed one is an unknown one).
bool IsWellFormedPatientId(std::string_view id);

// Trims the names and canonicalizes the locale of `patient`, then adds one
// violation per bad field, named `prefix` + the field path. Output-only
// fields and `consents` are not looked at (see ValidateInitialConsents).
void ValidatePatient(v1::Patient& patient, absl::Time now, std::string_view prefix,
                     common::FieldViolations& violations);

// The consents a CreatePatient may record: each with a known channel (at most
// once) and state, and a reason of at most kMaxTextLength characters.
void ValidateInitialConsents(const google::protobuf::RepeatedPtrField<v1::ChannelConsent>& consents,
                             std::string_view prefix, common::FieldViolations& violations);

}  // namespace dermaflow::patient
