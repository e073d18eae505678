#include "services/notification/templates.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/notification/care_rules.h"
#include "services/notification/time_rules.h"

namespace dermaflow::notification {
namespace {

using dermaflow::protocol::v1::LocalizedText;
using v1::ReminderKind;

// One language's fixed texts. Placeholders: {name} {clinic} {protocol}
// {date} {datetime} {position} {phone}.
struct Language {
  const char* code;
  const char* weekdays[7];  // Monday first
  const char* months[12];
  const char* greeting_named;
  const char* greeting;
  const char* closing;
  const char* call_us;
  const char* subject[8];  // by ReminderKind
  const char* appointment;
  const char* before_treatment;
  const char* aftercare_thanks;
  const char* aftercare_rules;
  const char* aftercare_single_rule;
  const char* check_in;
  const char* follow_up;
  const char* book_check_visit;
  const char* next_session;
  const char* position;  // " (2 of 3)"
  const char* maintenance;
  const char* nudge;
};

constexpr Language kGerman = {
    "de",
    {"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"},
    {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
     "Oktober", "November", "Dezember"},
    "Hallo {name},",
    "Guten Tag,",
    "Ihr Team von {clinic}",
    "Sie erreichen uns unter {phone}.",
    {"", "Erinnerung an Ihren Termin am {date}", "Hinweise nach Ihrer Behandlung",
     "Wie geht es Ihnen nach Ihrer Behandlung?", "Nachkontrolle Ihrer Behandlung",
     "Ihre nächste Sitzung", "Zeit für Ihre Auffrischungsbehandlung",
     "Ihre Auffrischungsbehandlung ist fällig"},
    "wir erinnern Sie an Ihren Termin für {protocol} bei {clinic} am {datetime}.",
    "Bitte beachten Sie vor der Behandlung:",
    "vielen Dank für Ihren Besuch bei {clinic}.",
    "vielen Dank für Ihren Besuch bei {clinic}. Bitte beachten Sie nach Ihrer Behandlung "
    "({protocol}):",
    "ein Hinweis zu Ihrer Behandlung ({protocol}) vom {date}:",
    "wie geht es Ihnen nach Ihrer Behandlung ({protocol}) vom {date}? Wir hoffen, Sie sind mit "
    "dem Ergebnis zufrieden.",
    "zu Ihrer Behandlung ({protocol}) vom {date}:",
    "Bitte vereinbaren Sie einen Kontrolltermin bei {clinic}.",
    "Ihre nächste Sitzung{position} für {protocol} bei {clinic} ist am {datetime}.",
    " ({index} von {count})",
    "die Wirkung Ihrer Behandlung ({protocol}) lässt mit der Zeit nach: Eine "
    "Auffrischungsbehandlung ist ab {date} fällig. Vereinbaren Sie jetzt Ihren Termin bei {clinic}.",
    "Ihre Auffrischungsbehandlung ({protocol}) ist seit {date} fällig. Wir beraten Sie gern – "
    "vereinbaren Sie Ihren Termin bei {clinic}.",
};

constexpr Language kEnglish = {
    "en",
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    "Hello {name},",
    "Hello,",
    "Your team at {clinic}",
    "You can reach us at {phone}.",
    {"", "Reminder: your appointment on {date}", "After your treatment",
     "How are you after your treatment?", "Follow-up on your treatment", "Your next session",
     "Time for your maintenance session", "Your maintenance session is due"},
    "this is a reminder of your appointment for {protocol} at {clinic} on {datetime}.",
    "Before your treatment, please note:",
    "thank you for your visit to {clinic}.",
    "thank you for your visit to {clinic}. After your treatment ({protocol}), please note:",
    "a note on your treatment ({protocol}) of {date}:",
    "how are you after your treatment ({protocol}) of {date}? We hope you are happy with the "
    "result.",
    "about your treatment ({protocol}) of {date}:",
    "Please book a check-up visit at {clinic}.",
    "your next session{position} of {protocol} at {clinic} is on {datetime}.",
    " ({index} of {count})",
    "the effect of your treatment ({protocol}) fades over time: a maintenance session is due "
    "from {date}. Book your appointment at {clinic} now.",
    "your maintenance session ({protocol}) has been due since {date}. We are happy to advise "
    "you – book your appointment at {clinic}.",
};

const Language* FindLanguage(const std::string& language) {
  if (language == "de") return &kGerman;
  if (language == "en") return &kEnglish;
  return nullptr;
}

int WeekdayIndex(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday: return 0;
    case absl::Weekday::tuesday: return 1;
    case absl::Weekday::wednesday: return 2;
    case absl::Weekday::thursday: return 3;
    case absl::Weekday::friday: return 4;
    case absl::Weekday::saturday: return 5;
    case absl::Weekday::sunday: return 6;
  }
  return 0;
}

std::string DateText(absl::CivilDay day, const Language& l) {
  if (l.code == std::string("de")) {
    return absl::StrCat(l.weekdays[WeekdayIndex(day)], ", ", day.day(), ". ",
                        l.months[day.month() - 1], " ", day.year());
  }
  return absl::StrCat(l.weekdays[WeekdayIndex(day)], ", ", day.day(), " ",
                      l.months[day.month() - 1], " ", day.year());
}

std::string DateTimeText(absl::Time t, absl::TimeZone tz, const Language& l) {
  const absl::CivilSecond cs = absl::ToCivilSecond(t, tz);
  std::string text = absl::StrCat(DateText(absl::CivilDay(cs), l),
                                  absl::StrFormat(", %02d:%02d", cs.hour(), cs.minute()));
  if (l.code == std::string("de")) absl::StrAppend(&text, " Uhr");
  return text;
}

class Composer {
 public:
  Composer(const RenderInput& in, const Language& language, bool template_fell_back)
      : in_(in), l_(language), fell_back_(template_fell_back) {
    // A patient whose language has no templates reads everything in the
    // fallback language, not a mix.
    text_locale_ = template_fell_back ? std::string(language.code) : in.locale;
    const auto& d = in.reminder->data;
    vars_ = {{"{name}", in.first_name},
             {"{clinic}", in.clinic.display_name},
             {"{protocol}", Text(in.protocol->display_name())},
             {"{phone}", in.clinic.contact_phone},
             {"{index}", absl::StrCat(d.session_index() + 1)},
             {"{count}", absl::StrCat(d.session_count())}};
  }

  std::string Fill(const char* pattern) const { return absl::StrReplaceAll(pattern, vars_); }
  void Set(const std::string& key, const std::string& value) {
    for (auto& [k, v] : vars_) {
      if (k == key) {
        v = value;
        return;
      }
    }
    vars_.emplace_back(key, value);
  }
  std::string Text(const LocalizedText& text) { return PickTranslation(text, text_locale_, &fell_back_); }
  bool fell_back() const { return fell_back_; }
  const Language& language() const { return l_; }

 private:
  const RenderInput& in_;
  const Language& l_;
  bool fell_back_;
  std::string text_locale_;
  std::vector<std::pair<std::string, std::string>> vars_;
};

void AddRules(Composer& c, const std::vector<const dermaflow::protocol::v1::CareRule*>& rules,
              std::vector<std::string>& lines) {
  for (const auto* rule : rules) {
    std::string text = c.Text(rule->text());
    if (!text.empty()) lines.push_back("- " + text);
  }
}

void AddWhenToCall(Composer& c, const RenderInput& in, std::vector<std::string>& lines) {
  std::string line = c.Text(in.protocol->when_to_call());
  if (!in.clinic.contact_phone.empty()) {
    if (!line.empty()) line += " ";
    line += c.Fill(c.language().call_us);
  }
  if (!line.empty()) lines.push_back(line);
}

}  // namespace

std::string LanguageOf(const std::string& locale) {
  std::string language = locale.substr(0, locale.find_first_of("-_"));
  absl::AsciiStrToLower(&language);
  if (language.size() < 2 || language.size() > 3) return "other";
  for (char ch : language) {
    if (!std::isalpha(static_cast<unsigned char>(ch))) return "other";
  }
  return language;
}

std::string PickTranslation(const LocalizedText& text, const std::string& locale, bool* fell_back) {
  if (text.translations().empty()) return "";
  const std::string language = LanguageOf(locale);
  const dermaflow::protocol::v1::Translation* by_language = nullptr;
  const dermaflow::protocol::v1::Translation* english = nullptr;
  for (const auto& t : text.translations()) {
    if (absl::EqualsIgnoreCase(t.locale(), locale)) return t.text();
    if (!by_language && LanguageOf(t.locale()) == language) by_language = &t;
    if (!english && LanguageOf(t.locale()) == "en") english = &t;
  }
  if (by_language) return by_language->text();
  *fell_back = true;
  return english ? english->text() : text.translations(0).text();
}

std::string FormatLocalDateTime(absl::Time t, absl::TimeZone tz, const std::string& language) {
  const Language* l = FindLanguage(language);
  return DateTimeText(t, tz, l ? *l : kEnglish);
}

std::string FormatLocalDate(absl::CivilDay day, const std::string& language) {
  const Language* l = FindLanguage(language);
  return DateText(day, l ? *l : kEnglish);
}

RenderedMessage Render(const RenderInput& in) {
  const Language* found = FindLanguage(LanguageOf(in.locale));
  Composer c(in, found ? *found : kEnglish, found == nullptr);
  const Language& l = c.language();
  const internal::StoredReminder& d = in.reminder->data;
  const ReminderKind kind = KindOf(d);
  const absl::Time session = FromMillis(d.session_start_ms());
  c.Set("{date}", DateText(absl::CivilDay(absl::ToCivilSecond(session, in.time_zone)), l));
  c.Set("{datetime}", DateTimeText(session, in.time_zone, l));

  std::vector<std::string> lines;
  lines.push_back(in.first_name.empty() ? c.Fill(l.greeting) : c.Fill(l.greeting_named));
  switch (kind) {
    case ReminderKind::REMINDER_KIND_APPOINTMENT: {
      lines.push_back(c.Fill(l.appointment));
      std::vector<std::string> rules;
      AddRules(c, ApplicableRules(in.protocol->pre_care(), d.areas(), 0), rules);
      if (!rules.empty()) {
        lines.push_back(c.Fill(l.before_treatment));
        lines.insert(lines.end(), rules.begin(), rules.end());
      }
      break;
    }
    case ReminderKind::REMINDER_KIND_AFTERCARE: {
      std::vector<const dermaflow::protocol::v1::CareRule*> rules;
      for (const auto* rule : ApplicableRules(in.protocol->aftercare(), d.areas(), d.side_effects())) {
        const bool later = ToDuration(rule->offset()) > absl::ZeroDuration();
        // The completion message has the rules starting at once; a rule
        // starting later has its own reminder (rule_code = its code).
        if (d.rule_code().empty() ? !later : rule->code() == d.rule_code()) rules.push_back(rule);
      }
      if (!d.rule_code().empty()) {
        lines.push_back(c.Fill(l.aftercare_single_rule));
        AddRules(c, rules, lines);
        break;
      }
      lines.push_back(c.Fill(rules.empty() ? l.aftercare_thanks : l.aftercare_rules));
      AddRules(c, rules, lines);
      if (std::string normal = c.Text(in.protocol->side_effects_normal()); !normal.empty()) {
        lines.push_back(normal);
      }
      AddWhenToCall(c, in, lines);
      break;
    }
    case ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN:
      lines.push_back(c.Fill(l.check_in));
      AddWhenToCall(c, in, lines);
      break;
    case ReminderKind::REMINDER_KIND_FOLLOW_UP: {
      lines.push_back(c.Fill(l.follow_up));
      for (const auto& follow_up : in.protocol->follow_ups()) {
        if (follow_up.code() != d.rule_code()) continue;
        if (std::string text = c.Text(follow_up.text()); !text.empty()) lines.push_back(text);
        if (follow_up.requires_visit()) lines.push_back(c.Fill(l.book_check_visit));
      }
      break;
    }
    case ReminderKind::REMINDER_KIND_NEXT_SESSION:
      c.Set("{position}", d.session_count() > 0 ? c.Fill(l.position) : "");
      c.Set("{datetime}", DateTimeText(FromMillis(d.next_session_start_ms()), in.time_zone, l));
      lines.push_back(c.Fill(l.next_session));
      break;
    case ReminderKind::REMINDER_KIND_MAINTENANCE:
    case ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE:
      c.Set("{date}", DateText(FromYyyymmdd(d.maintenance_due_date()), l));
      lines.push_back(c.Fill(kind == ReminderKind::REMINDER_KIND_MAINTENANCE ? l.maintenance : l.nudge));
      break;
    default:
      break;
  }
  lines.push_back(c.Fill(l.closing));

  RenderedMessage m;
  m.locale = l.code;
  const int k = static_cast<int>(kind);
  if (in.channel != dermaflow::patient::v1::Channel::CHANNEL_SMS && k > 0 && k < 8) {
    m.subject = c.Fill(l.subject[k]);
  }
  m.body = absl::StrJoin(lines, "\n");
  m.fell_back = c.fell_back();
  return m;
}

}  // namespace dermaflow::notification
