#include "services/notification/domain/templates.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/notification/domain/care_rules.h"
#include "services/notification/domain/locale_templates.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

using dermaflow::protocol::v1::LocalizedText;
using internal::LocaleTemplates;
using v1::ReminderKind;

// 0 for Monday: absl::Weekday lists the days Monday first, as the files do.
int WeekdayIndex(absl::CivilDay day) { return static_cast<int>(absl::GetWeekday(day)); }

std::string DateText(absl::CivilDay day, const LocaleTemplates& l) {
  return absl::StrReplaceAll(l.words().date_format(),
                             {{"{weekday}", l.words().weekdays(WeekdayIndex(day))},
                              {"{day}", absl::StrCat(day.day())},
                              {"{month}", l.words().months(day.month() - 1)},
                              {"{year}", absl::StrCat(day.year())}});
}

std::string DateTimeText(absl::Time t, absl::TimeZone tz, const LocaleTemplates& l) {
  const absl::CivilSecond cs = absl::ToCivilSecond(t, tz);
  return absl::StrReplaceAll(l.words().date_time_format(),
                             {{"{date}", DateText(absl::CivilDay(cs), l)},
                              {"{hour}", absl::StrFormat("%02d", cs.hour())},
                              {"{minute}", absl::StrFormat("%02d", cs.minute())}});
}

// The e-mail subject of `kind`; nullptr for a kind without one.
const std::string* SubjectOf(ReminderKind kind, const LocaleTemplates& l) {
  const internal::Subjects& s = l.subjects();
  switch (kind) {
    case ReminderKind::REMINDER_KIND_APPOINTMENT:
      return &s.appointment();
    case ReminderKind::REMINDER_KIND_AFTERCARE:
      return &s.aftercare();
    case ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN:
      return &s.aftercare_check_in();
    case ReminderKind::REMINDER_KIND_FOLLOW_UP:
      return &s.follow_up();
    case ReminderKind::REMINDER_KIND_NEXT_SESSION:
      return &s.next_session();
    case ReminderKind::REMINDER_KIND_MAINTENANCE:
      return &s.maintenance();
    case ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE:
      return &s.maintenance_nudge();
    case ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST:
      return &s.confirmation_request();
    case ReminderKind::REMINDER_KIND_WAITLIST_OFFER:
      return &s.waitlist_offer();
    default:
      return nullptr;
  }
}

const LocaleTemplates& TemplatesOrFallback(const std::string& language) {
  const LocaleTemplates* l = FindLocaleTemplates(language);
  return l != nullptr ? *l : FallbackLocaleTemplates();
}

class Composer {
 public:
  Composer(const RenderInput& in, const LocaleTemplates& language, bool template_fell_back)
      : in_(in), l_(language), fell_back_(template_fell_back) {
    // A patient whose language has no templates reads everything in the
    // fallback language, not a mix.
    text_locale_ = template_fell_back ? language.language() : in.locale;
    const auto& d = in.reminder->data;
    vars_ = {{"{name}", in.first_name},
             {"{clinic}", in.clinic.display_name},
             {"{protocol}", Text(in.protocol->display_name())},
             {"{phone}", in.clinic.contact_phone},
             {"{index}", absl::StrCat(d.session_index() + 1)},
             {"{count}", absl::StrCat(d.session_count())}};
  }

  std::string Fill(const std::string& pattern) const { return absl::StrReplaceAll(pattern, vars_); }
  void Set(const std::string& key, const std::string& value) {
    for (auto& [k, v] : vars_) {
      if (k == key) {
        v = value;
        return;
      }
    }
    vars_.emplace_back(key, value);
  }
  std::string Text(const LocalizedText& text) {
    return PickTranslation(text, text_locale_, &fell_back_);
  }
  bool fell_back() const { return fell_back_; }
  const LocaleTemplates& language() const { return l_; }

 private:
  const RenderInput& in_;
  const LocaleTemplates& l_;
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
    line += c.Fill(c.language().texts().call_us());
  }
  if (!line.empty()) lines.push_back(line);
}

void AddLinks(Composer& c, const ActionLinks& links, std::vector<std::string>& lines) {
  const internal::Texts& texts = c.language().texts();
  const std::pair<const std::string*, const std::string*> lines_and_links[] = {
      {&texts.link_confirm(), &links.confirm},
      {&texts.link_cancel(), &links.cancel},
      {&texts.link_reschedule(), &links.reschedule},
      {&texts.link_accept_offer(), &links.accept_offer},
      {&texts.link_decline_offer(), &links.decline_offer}};
  for (const auto& [text, link] : lines_and_links) {
    if (link->empty()) continue;
    c.Set("{link}", *link);
    lines.push_back(c.Fill(*text));
  }
  if (links.sms_reply_hint()) lines.push_back(c.Fill(texts.sms_reply_hint()));
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
  return DateTimeText(t, tz, TemplatesOrFallback(language));
}

std::string FormatLocalDate(absl::CivilDay day, const std::string& language) {
  return DateText(day, TemplatesOrFallback(language));
}

RenderedMessage Render(const RenderInput& in) {
  const LocaleTemplates* found = FindLocaleTemplates(LanguageOf(in.locale));
  Composer c(in, found ? *found : FallbackLocaleTemplates(), found == nullptr);
  const LocaleTemplates& l = c.language();
  const internal::Texts& texts = l.texts();
  const internal::StoredReminder& d = in.reminder->data;
  const ReminderKind kind = KindOf(d);
  const absl::Time session = FromMillis(d.session_start_ms());
  c.Set("{date}", DateText(absl::CivilDay(absl::ToCivilSecond(session, in.time_zone)), l));
  c.Set("{datetime}", DateTimeText(session, in.time_zone, l));

  std::vector<std::string> lines;
  lines.push_back(in.first_name.empty() ? c.Fill(texts.greeting())
                                        : c.Fill(texts.greeting_named()));
  switch (kind) {
    case ReminderKind::REMINDER_KIND_APPOINTMENT: {
      lines.push_back(c.Fill(texts.appointment()));
      std::vector<std::string> rules;
      AddRules(c, ApplicableRules(in.protocol->pre_care(), d.areas(), 0), rules);
      if (!rules.empty()) {
        lines.push_back(c.Fill(texts.before_treatment()));
        lines.insert(lines.end(), rules.begin(), rules.end());
      }
      break;
    }
    case ReminderKind::REMINDER_KIND_AFTERCARE: {
      std::vector<const dermaflow::protocol::v1::CareRule*> rules;
      for (const auto* rule :
           ApplicableRules(in.protocol->aftercare(), d.areas(), d.side_effects())) {
        const bool later = ToDuration(rule->offset()) > absl::ZeroDuration();
        // The completion message has the rules starting at once; a rule
        // starting later has its own reminder (rule_code = its code).
        if (d.rule_code().empty() ? !later : rule->code() == d.rule_code()) rules.push_back(rule);
      }
      if (!d.rule_code().empty()) {
        lines.push_back(c.Fill(texts.aftercare_single_rule()));
        AddRules(c, rules, lines);
        break;
      }
      lines.push_back(c.Fill(rules.empty() ? texts.aftercare_thanks() : texts.aftercare_rules()));
      AddRules(c, rules, lines);
      if (std::string normal = c.Text(in.protocol->side_effects_normal()); !normal.empty()) {
        lines.push_back(normal);
      }
      AddWhenToCall(c, in, lines);
      break;
    }
    case ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN:
      lines.push_back(c.Fill(texts.check_in()));
      AddWhenToCall(c, in, lines);
      break;
    case ReminderKind::REMINDER_KIND_FOLLOW_UP: {
      lines.push_back(c.Fill(texts.follow_up()));
      for (const auto& follow_up : in.protocol->follow_ups()) {
        if (follow_up.code() != d.rule_code()) continue;
        if (std::string text = c.Text(follow_up.text()); !text.empty()) lines.push_back(text);
        if (follow_up.requires_visit()) lines.push_back(c.Fill(texts.book_check_visit()));
      }
      break;
    }
    case ReminderKind::REMINDER_KIND_NEXT_SESSION:
      c.Set("{position}", d.session_count() > 0 ? c.Fill(texts.position()) : "");
      c.Set("{datetime}", DateTimeText(FromMillis(d.next_session_start_ms()), in.time_zone, l));
      lines.push_back(c.Fill(texts.next_session()));
      break;
    case ReminderKind::REMINDER_KIND_MAINTENANCE:
    case ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE:
      c.Set("{date}", DateText(FromYyyymmdd(d.maintenance_due_date()), l));
      lines.push_back(c.Fill(kind == ReminderKind::REMINDER_KIND_MAINTENANCE
                                 ? texts.maintenance()
                                 : texts.maintenance_nudge()));
      break;
    case ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST:
      lines.push_back(c.Fill(texts.confirmation_request()));
      if (!in.clinic.contact_phone.empty()) lines.push_back(c.Fill(texts.confirmation_call_us()));
      break;
    case ReminderKind::REMINDER_KIND_WAITLIST_OFFER:
      c.Set("{until}", DateTimeText(FromMillis(d.hold_until_ms()), in.time_zone, l));
      lines.push_back(c.Fill(texts.waitlist_offer()));
      break;
    default:
      break;
  }
  AddLinks(c, in.links, lines);
  lines.push_back(c.Fill(texts.closing()));

  RenderedMessage m;
  m.locale = l.language();
  const std::string* subject = SubjectOf(kind, l);
  if (in.channel != dermaflow::patient::v1::Channel::CHANNEL_SMS && subject != nullptr) {
    m.subject = c.Fill(*subject);
  }
  m.body = absl::StrJoin(lines, "\n");
  m.fell_back = c.fell_back();
  return m;
}

}  // namespace dermaflow::notification
