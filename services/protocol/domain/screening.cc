#include "services/protocol/domain/screening.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/protocol/domain/localized_text.h"

namespace dermaflow::protocol {
namespace {

using patient::v1::AllergySubstance;
using patient::v1::MedicalProfile;
using v1::ContraindicationCode;
using v1::ScreeningFinding;

// A text in the two languages findings are written in. (absl::string_view:
// Debian's Abseil has its own, and these go into absl::StrCat.)
struct DeEn {
  absl::string_view de;
  absl::string_view en;
  absl::string_view In(std::string_view locale) const { return locale == "de" ? de : en; }
};

// What staff read about one contraindication code: its name, the question
// when the fact was never recorded, and the fact when it was.
struct CodeTexts {
  ContraindicationCode code;
  absl::string_view field;  // relative to patient.v1.Patient
  DeEn label;
  DeEn unanswered;
  DeEn fact;
};

constexpr CodeTexts kCodeTexts[] = {
    {v1::CONTRAINDICATION_CODE_PREGNANCY,
     "medical_profile.pregnant",
     {"Schwangerschaft", "Pregnancy"},
     {"Noch nicht erfragt: Ist die Patientin schwanger?",
      "Not yet asked: is the patient pregnant?"},
     {"Die Patientin ist schwanger.", "The patient is pregnant."}},
    {v1::CONTRAINDICATION_CODE_BREASTFEEDING,
     "medical_profile.breastfeeding",
     {"Stillzeit", "Breastfeeding"},
     {"Noch nicht erfragt: Stillt die Patientin?", "Not yet asked: is the patient breastfeeding?"},
     {"Die Patientin stillt.", "The patient is breastfeeding."}},
    {v1::CONTRAINDICATION_CODE_DIABETES,
     "medical_profile.diabetes",
     {"Diabetes", "Diabetes"},
     {"Noch nicht erfragt: Liegt ein Diabetes vor?",
      "Not yet asked: does the patient have diabetes?"},
     {"Es liegt ein Diabetes vor.", "The patient has diabetes."}},
    {v1::CONTRAINDICATION_CODE_CANCER_TREATMENT,
     "medical_profile.cancer_treatment",
     {"Krebsbehandlung", "Cancer treatment"},
     {"Noch nicht erfragt: Findet derzeit eine Krebsbehandlung statt?",
      "Not yet asked: is the patient in ongoing cancer treatment?"},
     {"Es findet derzeit eine Krebsbehandlung statt.",
      "The patient is in ongoing cancer treatment."}},
    {v1::CONTRAINDICATION_CODE_EPILEPSY,
     "medical_profile.epilepsy",
     {"Epilepsie", "Epilepsy"},
     {"Noch nicht erfragt: Liegt eine Epilepsie vor?",
      "Not yet asked: does the patient have epilepsy?"},
     {"Es liegt eine Epilepsie vor.", "The patient has epilepsy."}},
    {v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT,
     "medical_profile.has_allergies",
     {"Allergie gegen einen Bestandteil", "Allergy to an ingredient"},
     {"Noch nicht erfragt: Sind Allergien bekannt?",
      "Not yet asked: does the patient have any allergies?"},
     {"Es ist eine Allergie bekannt.", "The patient has an allergy."}},
    {v1::CONTRAINDICATION_CODE_ANTICOAGULANTS,
     "medical_profile.anticoagulants",
     {"Blutverdünner", "Anticoagulants"},
     {"Noch nicht erfragt: Werden blutverdünnende Medikamente eingenommen?",
      "Not yet asked: does the patient take anticoagulants?"},
     {"Es werden blutverdünnende Medikamente eingenommen.", "The patient takes anticoagulants."}},
    {v1::CONTRAINDICATION_CODE_MINOR,
     "birth_date",
     {"Minderjährig", "Minor"},
     {"Noch nicht erfasst: das Geburtsdatum.", "Not yet recorded: the birth date."},
     {"Am Behandlungstag jünger als 18 Jahre.", "Under 18 on the treatment date."}},
};

const CodeTexts* TextsFor(int code) {
  for (const auto& t : kCodeTexts) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

DeEn SubstanceName(int substance) {
  switch (substance) {
    case patient::v1::ALLERGY_SUBSTANCE_HYALURONIC_ACID:
      return {"Hyaluronsäure", "hyaluronic acid"};
    case patient::v1::ALLERGY_SUBSTANCE_DMAE:
      return {"DMAE", "DMAE"};
    case patient::v1::ALLERGY_SUBSTANCE_LIDOCAINE:
      return {"Lidocain", "lidocaine"};
    case patient::v1::ALLERGY_SUBSTANCE_COLLAGEN:
      return {"Kollagen", "collagen"};
    case patient::v1::ALLERGY_SUBSTANCE_BOTULINUM_TOXIN:
      return {"Botulinumtoxin", "botulinum toxin"};
    case patient::v1::ALLERGY_SUBSTANCE_VITAMINS:
      return {"Vitamine", "vitamins"};
    case patient::v1::ALLERGY_SUBSTANCE_HOMEOPATHICS:
      return {"homöopathische Mittel", "homeopathic preparations"};
    case patient::v1::ALLERGY_SUBSTANCE_ARNICA:
      return {"Arnika", "arnica"};
    case patient::v1::ALLERGY_SUBSTANCE_POLYDIOXANONE:
      return {"Polydioxanon (PDO)", "polydioxanone (PDO)"};
    default:
      return {"einen nicht aufgeführten Stoff", "an unlisted substance"};
  }
}

// A yes/no fact of the profile: nullopt when it was never asked.
std::optional<bool> BoolFact(const MedicalProfile& m, int code) {
  auto fact = [](bool has, bool value) { return has ? std::optional<bool>(value) : std::nullopt; };
  switch (code) {
    case v1::CONTRAINDICATION_CODE_PREGNANCY:
      return fact(m.has_pregnant(), m.pregnant());
    case v1::CONTRAINDICATION_CODE_BREASTFEEDING:
      return fact(m.has_breastfeeding(), m.breastfeeding());
    case v1::CONTRAINDICATION_CODE_DIABETES:
      return fact(m.has_diabetes(), m.diabetes());
    case v1::CONTRAINDICATION_CODE_CANCER_TREATMENT:
      return fact(m.has_cancer_treatment(), m.cancer_treatment());
    case v1::CONTRAINDICATION_CODE_EPILEPSY:
      return fact(m.has_epilepsy(), m.epilepsy());
    case v1::CONTRAINDICATION_CODE_ANTICOAGULANTS:
      return fact(m.has_anticoagulants(), m.anticoagulants());
    default:
      return std::nullopt;
  }
}

// nullopt when the birth date is missing or incomplete.
std::optional<bool> IsMinor(const patient::v1::Patient& patient, absl::CivilDay on) {
  const auto& b = patient.birth_date();
  if (b.year() == 0 || b.month() == 0 || b.day() == 0) return std::nullopt;
  int age = static_cast<int>(on.year() - b.year());
  if (std::make_tuple(on.month(), on.day()) < std::make_tuple(b.month(), b.day())) --age;
  return age < 18;
}

class Screener {
 public:
  Screener(const v1::Protocol& protocol, const patient::v1::Patient& patient, std::string locale,
           absl::CivilDay day)
      : protocol_(protocol), patient_(patient), locale_(std::move(locale)), day_(day) {}

  void Run(v1::ScreenEligibilityResponse& response) {
    bool lists_allergy = false;
    for (const auto& c : protocol_.contraindications()) {
      if (c.code() == v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT) {
        lists_allergy = true;
        ScreenAllergies(c);
      } else {
        ScreenFact(c);
      }
    }
    ScreenUnlistedAllergies(lists_allergy);

    auto by_code = [](const ScreeningFinding& a, const ScreeningFinding& b) {
      return std::make_tuple(a.code(), a.substance(), a.field()) <
             std::make_tuple(b.code(), b.substance(), b.field());
    };
    std::stable_sort(blocking_.begin(), blocking_.end(), by_code);
    std::stable_sort(warnings_.begin(), warnings_.end(), by_code);
    for (auto& f : blocking_) *response.add_blocking_reasons() = std::move(f);
    for (auto& f : warnings_) *response.add_warnings() = std::move(f);
  }

 private:
  const MedicalProfile& profile() const { return patient_.medical_profile(); }

  std::string Text(DeEn text) const { return std::string(text.In(locale_)); }

  // "<label>: <part> <part>", leaving out empty parts.
  std::string Labeled(const CodeTexts& texts, std::initializer_list<std::string> parts) const {
    std::string message = absl::StrCat(Text(texts.label), ":");
    for (const auto& part : parts) {
      if (!part.empty()) absl::StrAppend(&message, " ", part);
    }
    return message;
  }

  void Add(ScreeningFinding finding) {
    (finding.severity() == v1::CONTRAINDICATION_SEVERITY_ABSOLUTE ? blocking_ : warnings_)
        .push_back(std::move(finding));
  }

  ScreeningFinding Finding(const v1::Contraindication& c, absl::string_view field) const {
    ScreeningFinding f;
    f.set_code(c.code());
    f.set_severity(c.severity());
    f.set_field(std::string(field));
    return f;
  }

  void AddUnanswered(const v1::Contraindication& c, const CodeTexts& texts) {
    ScreeningFinding f = Finding(c, texts.field);
    f.set_unanswered(true);
    f.set_message(Text(texts.unanswered));
    Add(std::move(f));
  }

  void ScreenFact(const v1::Contraindication& c) {
    const CodeTexts* texts = TextsFor(c.code());
    if (texts == nullptr) return;  // validation keeps unknown codes out
    std::optional<bool> present = c.code() == v1::CONTRAINDICATION_CODE_MINOR
                                      ? IsMinor(patient_, day_)
                                      : BoolFact(profile(), c.code());
    if (!present.has_value()) return AddUnanswered(c, *texts);
    if (!*present) return;
    ScreeningFinding f = Finding(c, texts->field);
    // The protocol's message says why it matters; without one, the fact.
    std::string detail = Localize(c.message(), locale_);
    f.set_message(Labeled(*texts, {detail.empty() ? Text(texts->fact) : detail}));
    Add(std::move(f));
  }

  bool IsIngredient(int substance) const {
    for (const auto& i : protocol_.ingredients()) {
      if (i.substance() == substance) return true;
    }
    return false;
  }

  bool AllergiesUnanswered() const {
    return !profile().has_has_allergies() && profile().allergies().empty();
  }

  std::string AllergyFact(int substance) const {
    const DeEn name = SubstanceName(substance);
    return locale_ == "de" ? absl::StrCat("Allergie gegen ", name.de, ".")
                           : absl::StrCat("Allergic to ", name.en, ".");
  }

  void ScreenAllergies(const v1::Contraindication& c) {
    const CodeTexts& texts = *TextsFor(c.code());
    if (AllergiesUnanswered()) return AddUnanswered(c, texts);
    for (int i = 0; i < profile().allergies_size(); ++i) {
      const int substance = profile().allergies(i).substance();
      if (substance == patient::v1::ALLERGY_SUBSTANCE_OTHER || !IsIngredient(substance)) continue;
      ScreeningFinding f = Finding(c, absl::StrCat("medical_profile.allergies[", i, "]"));
      f.set_substance(static_cast<AllergySubstance>(substance));
      f.set_message(Labeled(texts, {AllergyFact(substance), Localize(c.message(), locale_)}));
      Add(std::move(f));
    }
  }

  // Allergies no listed contraindication covers still need a practitioner:
  // OTHER always (nobody knows what it is), an ingredient allergy when the
  // protocol lists no allergy contraindication.
  void ScreenUnlistedAllergies(bool lists_allergy) {
    const CodeTexts& texts = *TextsFor(v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT);
    for (int i = 0; i < profile().allergies_size(); ++i) {
      const int substance = profile().allergies(i).substance();
      const bool other = substance == patient::v1::ALLERGY_SUBSTANCE_OTHER;
      if (!other && (lists_allergy || !IsIngredient(substance))) continue;
      ScreeningFinding f;
      f.set_code(v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT);
      f.set_severity(v1::CONTRAINDICATION_SEVERITY_RELATIVE);
      f.set_field(absl::StrCat("medical_profile.allergies[", i, "]"));
      f.set_substance(static_cast<AllergySubstance>(substance));
      std::string check = other ? Text({"Bitte prüfen, ob die Behandlung diesen Stoff enthält.",
                                        "Check whether the treatment contains it."})
                                : Text({"Bitte Verträglichkeit ärztlich abwägen.",
                                        "A practitioner must weigh the risk."});
      f.set_message(Labeled(texts, {AllergyFact(substance), check}));
      warnings_.push_back(std::move(f));
    }
  }

  const v1::Protocol& protocol_;
  const patient::v1::Patient& patient_;
  const std::string locale_;
  const absl::CivilDay day_;
  std::vector<ScreeningFinding> blocking_;
  std::vector<ScreeningFinding> warnings_;
};

}  // namespace

std::string ScreeningLocale(std::string_view requested, std::string_view patient_locale) {
  std::string_view locale = !requested.empty() ? requested : patient_locale;
  return LanguageOf(locale) == "de" ? "de" : "en";
}

v1::ScreenEligibilityResponse Screen(const v1::Protocol& protocol,
                                     const patient::v1::Patient& patient,
                                     std::string_view requested_locale,
                                     absl::CivilDay treatment_date) {
  v1::ScreenEligibilityResponse response;
  const std::string locale = ScreeningLocale(requested_locale, patient.locale());
  Screener(protocol, patient, locale, treatment_date).Run(response);
  response.set_eligible(response.blocking_reasons().empty());
  response.set_requires_override(response.eligible() && !response.warnings().empty());
  response.set_protocol_version(protocol.version());
  response.set_locale(locale);
  if (patient.medical_profile().has_update_time()) {
    *response.mutable_medical_profile_update_time() = patient.medical_profile().update_time();
  }
  return response;
}

absl::StatusOr<absl::CivilDay> TreatmentDay(const v1::ScreenEligibilityRequest& request,
                                            absl::Time now) {
  if (!request.has_treatment_date()) return absl::ToCivilDay(now, absl::UTCTimeZone());
  const auto& d = request.treatment_date();
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.year() < 1 || d.year() > 9999 || day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return common::InvalidArgumentError("treatment_date", "must be a complete, real date");
  }
  return day;
}

absl::Status CheckRequestedAreas(const v1::Protocol& protocol,
                                 const google::protobuf::RepeatedField<int>& areas) {
  common::FieldViolations violations;
  for (int i = 0; i < areas.size(); ++i) {
    if (std::find(protocol.areas().begin(), protocol.areas().end(), areas[i]) ==
        protocol.areas().end()) {
      violations.Add(absl::StrCat("areas[", i, "]"), "is not one of the protocol's areas");
    }
  }
  return violations.ToStatus();
}

}  // namespace dermaflow::protocol
