#include "services/protocol/catalog.h"

#include <cstdint>

#include "absl/time/time.h"
#include "services/protocol/localized_text.h"

// Seed references: 000 collagen injection and thread lift, 001 collagen
// induction therapy, 002 mesotherapy hydralift, 003 mesotherapy (Mesobotox,
// who must not be treated, sweating after treatment), 004 mesotherapy for
// body and face (caffeine, make-up, arnica, number of sessions). A value
// without a seed reference says "assumed".

namespace dermaflow::protocol {
namespace {

using patient::v1::AllergySubstance;
using v1::CareCondition;
using v1::ContraindicationCode;
using v1::ContraindicationSeverity;

google::protobuf::Duration Dur(absl::Duration d) {
  google::protobuf::Duration result;
  result.set_seconds(absl::ToInt64Seconds(d));
  return result;
}

v1::LocalizedText Text(std::string_view de, std::string_view en) {
  return MakeText({{"de", de}, {"en", en}});
}

v1::CareRule Rule(std::string_view code, absl::Duration offset, absl::Duration duration,
                  CareCondition applies_when, std::string_view de, std::string_view en) {
  v1::CareRule rule;
  rule.set_code(std::string(code));
  if (offset > absl::ZeroDuration()) *rule.mutable_offset() = Dur(offset);
  if (duration > absl::ZeroDuration()) *rule.mutable_duration() = Dur(duration);
  *rule.mutable_text() = Text(de, en);
  rule.set_applies_when(applies_when);
  return rule;
}

v1::Contraindication Contra(ContraindicationCode code, ContraindicationSeverity severity,
                            std::string_view de, std::string_view en) {
  v1::Contraindication c;
  c.set_code(code);
  c.set_severity(severity);
  *c.mutable_message() = Text(de, en);
  return c;
}

v1::Ingredient Ingredient(AllergySubstance substance, std::string_view de, std::string_view en) {
  v1::Ingredient i;
  i.set_substance(substance);
  *i.mutable_description() = Text(de, en);
  return i;
}

void SetCourse(v1::Protocol& p, int32_t sessions, absl::Duration interval,
               absl::Duration tolerance) {
  auto* plan = p.mutable_course_plan();
  plan->set_session_count(sessions);
  if (interval > absl::ZeroDuration()) *plan->mutable_interval() = Dur(interval);
  if (tolerance > absl::ZeroDuration()) *plan->mutable_tolerance() = Dur(tolerance);
}

// Maintenance reminders go out 14 days before the due date and, if nothing
// was booked, a nudge 30 days after it (both assumed).
void SetMaintenance(v1::Protocol& p, int32_t months) {
  auto* m = p.mutable_maintenance();
  m->set_interval_months(months);
  *m->mutable_reminder_lead() = Dur(absl::Hours(24 * 14));
  *m->mutable_nudge_delay() = Dur(absl::Hours(24 * 30));
}

void SetAreas(v1::Protocol& p, std::initializer_list<v1::TreatmentArea> areas) {
  for (auto a : areas) p.add_areas(a);
}

constexpr absl::Duration kDay = absl::Hours(24);

// ---------------------------------------------------------------------------
// Rules shared by several protocols.
// ---------------------------------------------------------------------------

// 004: no caffeine before mesotherapy. From 12 h before: assumed.
v1::CareRule NoCaffeine() {
  return Rule("no_caffeine", absl::Hours(12), absl::ZeroDuration(), v1::CARE_CONDITION_ALWAYS,
              "Bitte verzichten Sie vor der Behandlung auf Koffein: ab 12 Stunden vor Ihrem "
              "Termin bitte keinen Kaffee, keinen schwarzen oder grünen Tee, keine Cola und keine "
              "Energydrinks.",
              "Please avoid caffeine before the treatment: no coffee, black or green tea, cola or "
              "energy drinks from 12 hours before your appointment.");
}

// Assumed from 004's "no make-up right after a facial treatment".
v1::CareRule ComeWithoutMakeup() {
  return Rule("no_makeup_before", absl::ZeroDuration(), absl::ZeroDuration(),
              v1::CARE_CONDITION_FACIAL_AREA_TREATED,
              "Bitte kommen Sie ungeschminkt, also ohne Make-up, zur Behandlung.",
              "Please come to your treatment without make-up.");
}

// 003: avoid heavy sweating (sport, sauna, sunbathing) after mesotherapy.
// 48 h: assumed.
v1::CareRule NoSportSaunaSun() {
  return Rule("no_sport_sauna_sun", absl::ZeroDuration(), absl::Hours(48),
              v1::CARE_CONDITION_ALWAYS,
              "Bitte vermeiden Sie in den 48 Stunden nach der Behandlung starkes Schwitzen: kein "
              "Sport, keine Sauna und kein Sonnenbad.",
              "Please avoid heavy sweating for 48 hours after the treatment: no sport, no sauna "
              "and no sunbathing.");
}

// 004: no make-up directly after a facial treatment. 24 h: assumed.
v1::CareRule NoMakeupAfter() {
  return Rule("no_makeup_after", absl::ZeroDuration(), absl::Hours(24),
              v1::CARE_CONDITION_FACIAL_AREA_TREATED,
              "Bitte tragen Sie in den ersten 24 Stunden nach der Gesichtsbehandlung kein Make-up "
              "auf, damit sich die behandelte Haut in Ruhe erholen kann.",
              "Please do not wear make-up for the first 24 hours after a facial treatment, so "
              "that the treated skin can recover undisturbed.");
}

// 004: mild pain or bruising is common; topical or oral arnica reduces it.
v1::CareRule ArnicaForBruising() {
  return Rule("arnica_for_bruising", absl::ZeroDuration(), absl::ZeroDuration(),
              v1::CARE_CONDITION_BRUISING_RECORDED,
              "Leichte Schmerzen oder Blutergüsse an den Einstichstellen sind keine Seltenheit. "
              "Arnika, äußerlich als Salbe oder Gel aufgetragen oder zum Einnehmen, kann sie "
              "lindern.",
              "Mild pain or bruising where the needle went in is not unusual. Arnica, applied to "
              "the skin as an ointment or gel or taken by mouth, can ease it.");
}

// Assumed (clinic practice): blood thinners raise the bruising risk of any
// needle treatment, so a practitioner must weigh it.
v1::Contraindication AnticoagulantsRelative() {
  return Contra(v1::CONTRAINDICATION_CODE_ANTICOAGULANTS, v1::CONTRAINDICATION_SEVERITY_RELATIVE,
                "Blutverdünnende Medikamente erhöhen das Risiko von Blutergüssen; behandeln Sie "
                "nur nach sorgfältiger Abwägung.",
                "Anticoagulants increase the risk of bruising; treat only after weighing the "
                "risk.");
}

// Everything the three mesotherapy protocols share: 003 (epilepsy, allergy,
// experienced physician, no sweating), 004 (caffeine, make-up, arnica, the
// usual side effects).
void AddMesotherapyRules(v1::Protocol& p) {
  p.set_requires_physician(true);
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_EPILEPSY, v1::CONTRAINDICATION_SEVERITY_ABSOLUTE,
             "Eine Mesotherapie darf bei Epilepsie nicht durchgeführt werden.",
             "Mesotherapy must not be given to patients with epilepsy.");
  *p.add_contraindications() = Contra(
      v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT, v1::CONTRAINDICATION_SEVERITY_ABSOLUTE,
      "Eine Mesotherapie darf bei einer Allergie gegen einen Bestandteil des Wirkstoffmixes "
      "nicht durchgeführt werden.",
      "Mesotherapy must not be given to patients allergic to an ingredient of the mix.");
  *p.add_contraindications() = AnticoagulantsRelative();
  *p.add_pre_care() = NoCaffeine();
  *p.add_pre_care() = ComeWithoutMakeup();
  *p.add_aftercare() = NoSportSaunaSun();
  *p.add_aftercare() = NoMakeupAfter();
  *p.add_aftercare() = ArnicaForBruising();
  *p.mutable_aftercare_check_in_offset() = Dur(absl::Hours(48));  // assumed
  *p.mutable_side_effects_normal() = Text(
      "Leichte Schmerzen oder kleine Blutergüsse an den Einstichstellen sind keine "
      "Seltenheit und klingen innerhalb weniger Tage von selbst ab.",
      "Mild pain or small bruises where the needle went in are not unusual and fade by "
      "themselves within a few days.");
  // Assumed.
  *p.mutable_when_to_call() = Text(
      "Bitte rufen Sie uns an, wenn Schmerzen oder Blutergüsse nach einer Woche nicht "
      "abgeklungen sind, wenn sie stärker werden oder wenn sich eine Einstichstelle "
      "entzündet (Rötung, Wärme, Eiter, Fieber).",
      "Please call us if pain or bruising has not faded after a week, if it gets worse, or "
      "if an injection site becomes inflamed (redness, warmth, pus, fever).");
}

// ---------------------------------------------------------------------------
// The protocols.
// ---------------------------------------------------------------------------

v1::Protocol MesotherapyHydralift() {  // 002
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  *p.mutable_display_name() =
      Text("Mesotherapie Hydralift (Gesichtsstraffung)", "Mesotherapy hydralift (facial firming)");
  *p.mutable_description() = Text(
      "Straffende Mesotherapie für Gesicht, Hals und Dekolleté. Mit feinen Nadeln wird ein "
      "Wirkstoffmix aus 1 % Hyaluronsäure und DMAE in die Haut gespritzt. Die Hyaluronsäure "
      "bildet ein feuchtigkeitsspendendes Gel, das die Elastizität und Form der Haut erhält; "
      "DMAE wirkt straffend. Die vielen kleinen Einstiche regen zusätzlich die Bildung von neuem "
      "Kollagen an. Der Lifting-Effekt ist schon nach der ersten Sitzung sichtbar: Falten werden "
      "gemildert, die Haut wird straffer und elastischer. Für das beste Ergebnis sind drei "
      "Sitzungen im Abstand von je einer Woche vorgesehen; danach wird die Behandlung alle sechs "
      "Monate wiederholt.",
      "Firming mesotherapy for face, neck and décolleté. Fine needles inject a mix of 1 % "
      "hyaluronic acid and DMAE into the skin. The hyaluronic acid forms a hydrating gel that "
      "keeps the skin elastic and in shape; DMAE has a tightening effect. The many tiny "
      "punctures also stimulate new collagen. The lifting effect is visible right after the "
      "first session: wrinkles are softened, the skin becomes firmer and more elastic. For the "
      "best result the course has three sessions one week apart; after that the treatment is "
      "repeated every six months.");
  SetAreas(p, {v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_NECK, v1::TREATMENT_AREA_DECOLLETE});
  *p.mutable_session_duration() = Dur(absl::Minutes(30));
  // "3 treatments every week", read as one a week, three times. Tolerance of
  // one day: assumed.
  SetCourse(p, 3, 7 * kDay, kDay);
  SetMaintenance(p, 6);
  *p.add_ingredients() = Ingredient(patient::v1::ALLERGY_SUBSTANCE_HYALURONIC_ACID,
                                    "1 % Hyaluronsäure", "1 % hyaluronic acid");
  *p.add_ingredients() = Ingredient(patient::v1::ALLERGY_SUBSTANCE_DMAE,
                                    "DMAE (Dimethylaminoethanol)", "DMAE (dimethylaminoethanol)");
  AddMesotherapyRules(p);
  return p;
}

v1::Protocol MesotherapyBody() {  // 004
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  *p.mutable_display_name() = Text("Mesotherapie Körper (Cellulite, Dehnungsstreifen, Akne)",
                                   "Body mesotherapy (cellulite, stretch marks, acne)");
  *p.mutable_description() = Text(
      "Die Mesotherapie ist ein nicht-chirurgisches Verfahren: Mikroskopisch kleine Mengen von "
      "Arzneimitteln, homöopathischen Mitteln und Vitaminen werden mit feinen Nadeln in die Haut "
      "gespritzt. Sie behandelt Cellulite, Dehnungsstreifen und Akne und verjüngt die Haut, an "
      "Oberschenkeln, Po, Bauch, Armen, Händen, Gesicht und Hals. Eine Erholungszeit ist nicht "
      "nötig. Viele Patientinnen und Patienten sehen schon nach zwei Sitzungen Ergebnisse; wie "
      "viele Sitzungen nötig sind, hängt davon ab, wie ausgeprägt der Befund ist. Die Ergebnisse "
      "sind dauerhaft, doch da die Haut weiter altert, werden regelmäßige "
      "Auffrischungsbehandlungen empfohlen.",
      "Mesotherapy is a non-surgical procedure: microscopic amounts of medicines, homeopathic "
      "preparations and vitamins are injected into the skin with fine needles. It treats "
      "cellulite, stretch marks and acne and rejuvenates the skin, on thighs, buttocks, abdomen, "
      "arms, hands, face and neck. No recovery time is needed. Many patients see results after "
      "two sessions; how many sessions are needed depends on how severe the condition is. The "
      "results last, but as the skin keeps ageing, regular maintenance treatments are "
      "recommended.");
  SetAreas(p, {v1::TREATMENT_AREA_THIGHS, v1::TREATMENT_AREA_BUTTOCKS, v1::TREATMENT_AREA_ABDOMEN,
               v1::TREATMENT_AREA_ARMS, v1::TREATMENT_AREA_HANDS, v1::TREATMENT_AREA_FACE,
               v1::TREATMENT_AREA_NECK});
  *p.mutable_session_duration() = Dur(absl::Minutes(30));  // assumed
  // The number of sessions depends on severity (0 = individual); results
  // often after 2. Two weeks apart, two days either way: assumed.
  SetCourse(p, 0, 14 * kDay, 2 * kDay);
  SetMaintenance(p, 6);  // "regular maintenance injections"; 6 months assumed
  *p.add_ingredients() =
      Ingredient(patient::v1::ALLERGY_SUBSTANCE_VITAMINS, "Vitamine", "Vitamins");
  *p.add_ingredients() = Ingredient(patient::v1::ALLERGY_SUBSTANCE_HOMEOPATHICS,
                                    "Homöopathische Mittel", "Homeopathic preparations");
  AddMesotherapyRules(p);
  return p;
}

v1::Protocol Mesobotox() {  // 003
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_MESOBOTOX);
  *p.mutable_display_name() = Text("Mesobotox (feine Linien, übermäßiges Schwitzen)",
                                   "Mesobotox (fine lines, excessive sweating)");
  *p.mutable_description() = Text(
      "Beim Mesobotox werden geringe Mengen Botulinumtoxin mit feinen Nadeln flächig in die "
      "Haut gespritzt. Das mildert feine Linien an Gesicht, Hals, Dekolleté und Handrücken und "
      "hilft gegen übermäßiges Schwitzen, zum Beispiel unter den Achseln. Eine Sitzung allein "
      "reicht nicht aus: Dauer und Häufigkeit der Behandlung werden individuell besprochen.",
      "Mesobotox injects small amounts of botulinum toxin into the skin over a wide area with "
      "fine needles. It softens fine lines on the face, neck, décolleté and backs of the hands "
      "and helps against excessive sweating, for example in the armpits. One session alone is "
      "not enough: how long and how often you are treated is agreed individually.");
  SetAreas(p, {v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_NECK, v1::TREATMENT_AREA_DECOLLETE,
               v1::TREATMENT_AREA_HANDS, v1::TREATMENT_AREA_ARMPITS});
  *p.mutable_session_duration() = Dur(absl::Minutes(30));  // assumed
  // Individual (0); "one session is never enough". Interval and tolerance
  // assumed.
  SetCourse(p, 0, 14 * kDay, 2 * kDay);
  SetMaintenance(p, 6);  // individual; 6 months assumed
  *p.add_ingredients() =
      Ingredient(patient::v1::ALLERGY_SUBSTANCE_BOTULINUM_TOXIN,
                 "Botulinumtoxin in geringen Mengen", "Botulinum toxin in small amounts");
  AddMesotherapyRules(p);
  return p;
}

v1::Protocol CollagenInjection() {  // 000
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_COLLAGEN_INJECTION);
  *p.mutable_display_name() =
      Text("Kollageninjektion (Falten, Volumen)", "Collagen injection (wrinkles, volume)");
  *p.mutable_description() = Text(
      "Kollagen ist ein faseriges Eiweiß, das der Haut Festigkeit und Spannkraft gibt. Mit dem "
      "Alter bildet die Haut weniger davon, und es entstehen Falten und Linien. Bei der "
      "Kollageninjektion wird Kollagen in die Haut gespritzt: Das verringert Falten, gibt Fülle "
      "und lässt die Haut jugendlicher aussehen. Der erste Effekt zeigt sich innerhalb von 24 "
      "Stunden; Hautfarbe und -helligkeit verbessern sich bis zum Ende des siebten Tages. Das "
      "Ergebnis hält 12 bis 18 Monate an.",
      "Collagen is a fibrous protein that gives the skin firmness and elasticity. With age the "
      "skin makes less of it, and wrinkles and lines appear. A collagen injection places "
      "collagen into the skin: it reduces wrinkles, adds volume and makes the skin look "
      "younger. The first effect appears within 24 hours; skin colour and brightness improve by "
      "the end of the seventh day. The result lasts 12 to 18 months.");
  SetAreas(p, {v1::TREATMENT_AREA_FACE});
  *p.mutable_session_duration() = Dur(absl::Minutes(30));       // assumed
  SetCourse(p, 1, absl::ZeroDuration(), absl::ZeroDuration());  // assumed
  // Colour and brightness are better by the end of day 7: check then.
  auto* check = p.add_follow_ups();
  check->set_code("day7_result_check");
  *check->mutable_offset() = Dur(7 * kDay);
  check->set_requires_visit(true);
  *check->mutable_text() = Text(
      "Seit Ihrer Kollageninjektion sind sieben Tage vergangen: Hautfarbe und -helligkeit "
      "sollten jetzt sichtbar verbessert sein. Bitte kommen Sie zur Kontrolle des Ergebnisses in "
      "die Praxis und vereinbaren Sie dafür einen Termin, falls Sie noch keinen haben.",
      "Seven days have passed since your collagen injection: the colour and brightness of your "
      "skin should now be visibly better. Please come to the clinic for a check of the result, "
      "and book an appointment for it if you do not have one yet.");
  // The effect lasts 12-18 months: recall at the earlier end.
  SetMaintenance(p, 12);
  *p.add_ingredients() =
      Ingredient(patient::v1::ALLERGY_SUBSTANCE_COLLAGEN, "Kollagen", "Collagen");
  const auto absolute = v1::CONTRAINDICATION_SEVERITY_ABSOLUTE;
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_PREGNANCY, absolute,
             "Eine Kollageninjektion wird in der Schwangerschaft nicht durchgeführt.",
             "Collagen injection is not given during pregnancy.");
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_BREASTFEEDING, absolute,
             "Eine Kollageninjektion wird in der Stillzeit nicht durchgeführt.",
             "Collagen injection is not given while breastfeeding.");
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_DIABETES, absolute,
             "Eine Kollageninjektion wird bei Diabetes nicht durchgeführt.",
             "Collagen injection is not given to patients with diabetes.");
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_CANCER_TREATMENT, absolute,
             "Eine Kollageninjektion wird während einer laufenden Krebsbehandlung nicht "
             "durchgeführt.",
             "Collagen injection is not given during ongoing cancer treatment.");
  // Assumed: no collagen for patients allergic to collagen.
  *p.add_contraindications() =
      Contra(v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT, absolute,
             "Eine Kollageninjektion wird bei einer Allergie gegen Kollagen nicht durchgeführt.",
             "Collagen injection is not given to patients allergic to collagen.");
  *p.add_contraindications() = AnticoagulantsRelative();
  *p.add_pre_care() = ComeWithoutMakeup();
  *p.add_aftercare() = NoMakeupAfter();      // assumed for injections beyond mesotherapy
  *p.add_aftercare() = ArnicaForBruising();  // assumed for injections beyond mesotherapy
  *p.mutable_aftercare_check_in_offset() = Dur(absl::Hours(48));  // assumed
  *p.mutable_side_effects_normal() = Text(
      "Nach der Behandlung können Rötungen, Brennen, Schwellungen, Stechen, Juckreiz und eine "
      "empfindliche Haut auftreten. Das ist normal: Diese Beschwerden verschwinden innerhalb "
      "weniger Tage von selbst, ohne dass etwas getan werden muss. Allergische Reaktionen sind "
      "selten.",
      "After the treatment you may notice redness, burning, swelling, stinging, itching and "
      "sensitive skin. This is normal: these effects go away by themselves within a few days, "
      "without any treatment. Allergic reactions are rare.");
  *p.mutable_when_to_call() = Text(
      "Bitte rufen Sie uns an, wenn diese Beschwerden nach einigen Tagen nicht von selbst "
      "verschwunden sind oder wenn sie stärker werden.",
      "Please call us if these effects have not gone away by themselves after a few days, or if "
      "they get worse.");
  p.set_requires_physician(true);  // done by (aesthetic) surgeons
  return p;
}

v1::Protocol CollagenInduction() {  // 001
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_COLLAGEN_INDUCTION);
  *p.mutable_display_name() = Text("Kollagen-Induktionstherapie (Microneedling)",
                                   "Collagen induction therapy (micro-needling)");
  *p.mutable_description() = Text(
      "Bei der Kollagen-Induktionstherapie setzen feinste Nadeln mikroskopisch kleine "
      "Verletzungen in der Haut. Die natürliche Wundheilung bildet daraufhin neues Kollagen und "
      "Elastin, das die Haut glättet und strafft. Geeignet bei Linien und Falten, erschlaffter "
      "Haut, Aknenarben, vergrößerten Poren, Sonnenschäden und Dehnungsstreifen, im Gesicht "
      "einschließlich der empfindlichen Bereiche um Augen und Mund sowie am Körper. Die "
      "Oberhaut wird nicht abgetragen: Die Ausfallzeit ist sehr kurz oder entfällt ganz, und die "
      "Haut wird danach nicht UV-empfindlich. Für alle Hauttypen geeignet.",
      "In collagen induction therapy, very fine needles make microscopic injuries in the skin. "
      "The body's natural healing then builds new collagen and elastin, which smooth and "
      "tighten the skin. Suitable for lines and wrinkles, sagging skin, acne scars, enlarged "
      "pores, sun damage and stretch marks, on the face including the delicate areas around the "
      "eyes and mouth, and on the body. The outer layer of the skin is not removed: there is "
      "little or no downtime, and the skin does not become sensitive to UV light afterwards. "
      "Suitable for all skin types.");
  SetAreas(p, {v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_EYE_AREA, v1::TREATMENT_AREA_MOUTH_AREA,
               v1::TREATMENT_AREA_BODY_OTHER});
  *p.mutable_session_duration() = Dur(absl::Minutes(45));  // assumed
  SetCourse(p, 3, 28 * kDay, 3 * kDay);                    // assumed
  SetMaintenance(p, 6);                                    // 6-12 months assumed
  *p.add_contraindications() = AnticoagulantsRelative();
  *p.add_pre_care() = ComeWithoutMakeup();
  *p.add_aftercare() = NoMakeupAfter();                           // assumed
  *p.mutable_aftercare_check_in_offset() = Dur(absl::Hours(48));  // assumed
  // Little or no downtime and no UV sensitivity: 001. Redness: assumed.
  *p.mutable_side_effects_normal() = Text(
      "Die Ausfallzeit ist sehr kurz oder entfällt ganz. Eine leichte Rötung der behandelten "
      "Haut in den ersten Stunden ist normal. Die Behandlung macht die Haut nicht "
      "UV-empfindlich.",
      "There is little or no downtime. Slight redness of the treated skin in the first hours is "
      "normal. The treatment does not make your skin sensitive to UV light.");
  *p.mutable_when_to_call() = Text(  // assumed
      "Bitte rufen Sie uns an, wenn Rötungen oder Schwellungen nach drei Tagen nicht abgeklungen "
      "sind oder wenn Anzeichen einer Entzündung auftreten (Wärme, Eiter, Fieber).",
      "Please call us if redness or swelling has not gone after three days, or if there are "
      "signs of inflammation (warmth, pus, fever).");
  return p;
}

v1::Protocol ThreadLift() {  // 000
  v1::Protocol p;
  p.set_category(v1::PROTOCOL_CATEGORY_THREAD_LIFT);
  *p.mutable_display_name() = Text("Nicht-chirurgisches Fadenlifting", "Non-surgical thread lift");
  *p.mutable_description() = Text(
      "Beim nicht-chirurgischen Fadenlifting werden auflösbare oder nicht auflösbare "
      "chirurgische Fäden in verschiedene Hautschichten eingebracht. Das verbessert das "
      "Erscheinungsbild bei Volumenverlust, stellt die im Laufe der Zeit verlorene "
      "Gesichtskontur an Kinnlinie und Hals wieder her, strafft mäßig erschlaffte Haut und regt "
      "die Erneuerung der Haut an.",
      "In a non-surgical thread lift, absorbable or non-absorbable surgical threads are placed "
      "in different layers of the skin. This improves the look of lost volume, restores the "
      "face contour along the jawline and neck that was lost over time, tightens moderately "
      "sagging skin and stimulates the skin's renewal.");
  SetAreas(p, {v1::TREATMENT_AREA_FACE, v1::TREATMENT_AREA_JAWLINE, v1::TREATMENT_AREA_NECK});
  *p.mutable_session_duration() = Dur(absl::Minutes(60));  // assumed
  SetCourse(p, 1, absl::ZeroDuration(), absl::ZeroDuration());
  SetMaintenance(p, 12);  // absorbable threads last 12-18 months: assumed
  // Assumed: polydioxanone (PDO) is the usual absorbable thread.
  *p.add_ingredients() = Ingredient(patient::v1::ALLERGY_SUBSTANCE_POLYDIOXANONE,
                                    "Fäden aus Polydioxanon (PDO)", "Polydioxanone (PDO) threads");
  *p.add_contraindications() =  // assumed
      Contra(v1::CONTRAINDICATION_CODE_ALLERGY_TO_INGREDIENT,
             v1::CONTRAINDICATION_SEVERITY_ABSOLUTE,
             "Ein Fadenlifting wird bei einer Allergie gegen das Fadenmaterial nicht "
             "durchgeführt.",
             "A thread lift is not done on patients allergic to the thread material.");
  *p.add_contraindications() = AnticoagulantsRelative();
  *p.add_pre_care() = ComeWithoutMakeup();
  *p.add_aftercare() = NoMakeupAfter();                           // assumed
  *p.add_aftercare() = ArnicaForBruising();                       // assumed
  *p.mutable_aftercare_check_in_offset() = Dur(absl::Hours(48));  // assumed
  *p.mutable_side_effects_normal() = Text(                        // assumed
      "Leichte Schwellungen, kleine Blutergüsse und ein Spannungsgefühl im behandelten Bereich "
      "sind in den ersten Tagen normal und klingen von selbst ab.",
      "Mild swelling, small bruises and a feeling of tightness in the treated area are normal in "
      "the first days and go away by themselves.");
  *p.mutable_when_to_call() = Text(  // assumed
      "Bitte rufen Sie uns an, wenn Schwellungen oder Schmerzen nach einer Woche nicht "
      "abgeklungen sind, wenn ein Faden unter der Haut sichtbar oder tastbar wird oder wenn "
      "Anzeichen einer Entzündung auftreten (Rötung, Wärme, Eiter, Fieber).",
      "Please call us if swelling or pain has not gone after a week, if a thread can be seen or "
      "felt under the skin, or if there are signs of inflammation (redness, warmth, pus, "
      "fever).");
  p.set_requires_physician(true);  // surgical threads: assumed
  return p;
}

std::vector<CatalogEntry> BuildCatalog() {
  std::vector<CatalogEntry> entries = {
      {"mesotherapy_hydralift", MesotherapyHydralift()},
      {"mesotherapy_body", MesotherapyBody()},
      {"mesobotox", Mesobotox()},
      {"collagen_injection", CollagenInjection()},
      {"collagen_induction", CollagenInduction()},
      {"thread_lift", ThreadLift()},
  };
  for (auto& e : entries) {
    auto* source = e.protocol.mutable_source();
    source->set_origin(v1::PROTOCOL_ORIGIN_CATALOG);
    source->set_catalog_key(e.key);
    source->set_catalog_revision(kCatalogRevision);
  }
  return entries;
}

}  // namespace

const std::vector<CatalogEntry>& BuiltInCatalog() {
  static const auto* const catalog = new std::vector<CatalogEntry>(BuildCatalog());
  return *catalog;
}

const CatalogEntry* FindCatalogEntry(std::string_view key) {
  for (const auto& e : BuiltInCatalog()) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

}  // namespace dermaflow::protocol
