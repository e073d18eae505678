// Message texts: a reminder rendered for one patient at delivery time, in
// their language, from the per-kind templates of that language (one data file
// per language, services/notification/templates/, see locale_templates.h) and
// the protocol version's localized rule texts, with the patient's first name,
// the clinic's name and local dates formatted for the language.
//
//   RenderedMessage m = Render({.reminder = &record, .protocol = &protocol,
//                               .locale = "de-AT", .first_name = "Anna", .clinic = clinic,
//                               .time_zone = berlin});
//   // m.locale == "de"; m.fell_back == false
//
// A language without templates, or a rule text missing in the language,
// falls back to English (then to the first translation) and sets fell_back.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "services/notification/domain/action_links.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

struct RenderInput {
  const ReminderRecord* reminder = nullptr;
  const dermaflow::protocol::v1::Protocol* protocol = nullptr;
  std::string locale;      // the patient's, BCP-47
  std::string first_name;  // may be empty
  ClinicInfo clinic;
  absl::TimeZone time_zone;  // the patient's, else the clinic's
  dermaflow::patient::v1::Channel channel = dermaflow::patient::v1::Channel::CHANNEL_EMAIL;
  ActionLinks links = {};  // one line each before the closing
};

struct RenderedMessage {
  std::string locale;   // "de", "en", ...: the language of the templates used
  std::string subject;  // empty for SMS
  std::string body;     // paragraphs separated by "\n"
  bool fell_back = false;
};

RenderedMessage Render(const RenderInput& input);

// "de-AT" -> "de"; lower case. The metric label form of a locale: the
// language subtag when it is 2-3 letters, else "other".
std::string LanguageOf(const std::string& locale);

// The translation for `locale`: exact tag, then its language, then "en",
// then the first one. *fell_back is set when neither of the first two
// matched. Empty when there is no translation at all.
std::string PickTranslation(const dermaflow::protocol::v1::LocalizedText& text,
                            const std::string& locale, bool* fell_back);

// "Dienstag, 24. März 2026, 10:00 Uhr" / "Tuesday, 24 March 2026, 10:00".
std::string FormatLocalDateTime(absl::Time t, absl::TimeZone tz, const std::string& language);
// "Dienstag, 24. März 2026" / "Tuesday, 24 March 2026".
std::string FormatLocalDate(absl::CivilDay day, const std::string& language);

}  // namespace dermaflow::notification
