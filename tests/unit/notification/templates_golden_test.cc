// Rendered reminders are byte-for-byte what patients received before the
// templates moved from C++ into services/notification/templates/*.textproto:
// templates_golden.txt was rendered by the C++ templates for every reminder
// kind, every catalog protocol, German and English (plus fallbacks, SMS, no
// name, no phone), and every rendering must match it exactly.
//
// A deliberate rewording regenerates the golden file:
//   DERMAFLOW_UPDATE_GOLDEN=1 ctest --test-dir build -R TemplatesGolden
// and the diff of templates_golden.txt shows the change for review.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/notification/domain/care_rules.h"
#include "services/notification/domain/templates.h"
#include "services/notification/domain/time_rules.h"
#include "services/protocol/domain/catalog.h"
#include "tests/support/source_files.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using namespace dermaflow::notification::testing;  // NOLINT
using protocol::v1::TreatmentArea;

constexpr char kGoldenPath[] = "tests/unit/notification/templates_golden.txt";

const ClinicInfo kClinic{"clinic-mitte", "Dermaflow Berlin Mitte", "Europe/Berlin", "+49301234567",
                         true};
const ClinicInfo kClinicWithoutPhone{"clinic-mitte", "Dermaflow Berlin Mitte", "Europe/Berlin", "",
                                     false};

struct Case {
  std::string name;
  internal::StoredReminder data;
};

uint32_t Areas(std::initializer_list<TreatmentArea> areas) {
  google::protobuf::RepeatedField<int> field;
  for (auto a : areas) field.Add(a);
  return AreaMask(field);
}

uint32_t Bruising() {
  google::protobuf::RepeatedField<int> field;
  field.Add(scheduling::v1::SIDE_EFFECT_BRUISING);
  return SideEffectMask(field);
}

internal::StoredReminder Base(ReminderKind kind, uint32_t areas) {
  internal::StoredReminder d;
  d.set_kind(kind);
  d.set_session_start_ms(ToMillis(Berlin(2026, 3, 24, 10, 0)));
  d.set_areas(areas);
  return d;
}

// Every reminder a protocol can produce, with the variations rendering
// branches on (areas, side effects, rule codes, course position).
std::vector<Case> CasesFor(const protocol::v1::Protocol& p) {
  const uint32_t face = Areas({protocol::v1::TREATMENT_AREA_FACE});
  const uint32_t thighs = Areas({protocol::v1::TREATMENT_AREA_THIGHS});
  std::vector<Case> cases;
  cases.push_back({"appointment/face", Base(ReminderKind::REMINDER_KIND_APPOINTMENT, face)});
  cases.push_back({"appointment/thighs", Base(ReminderKind::REMINDER_KIND_APPOINTMENT, thighs)});
  cases.push_back({"aftercare/face", Base(ReminderKind::REMINDER_KIND_AFTERCARE, face)});
  Case bruised{"aftercare/face+bruising", Base(ReminderKind::REMINDER_KIND_AFTERCARE, face)};
  bruised.data.set_side_effects(Bruising());
  cases.push_back(bruised);
  cases.push_back({"aftercare/thighs", Base(ReminderKind::REMINDER_KIND_AFTERCARE, thighs)});
  for (const auto& rule : p.aftercare()) {
    Case single{"aftercare/rule=" + rule.code(), bruised.data};
    single.data.set_rule_code(rule.code());
    cases.push_back(single);
  }
  cases.push_back({"check_in", Base(ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN, face)});
  std::vector<std::string> follow_up_codes = {"unknown_code"};
  for (const auto& f : p.follow_ups()) follow_up_codes.push_back(f.code());
  for (const auto& code : follow_up_codes) {
    Case follow_up{"follow_up/" + code, Base(ReminderKind::REMINDER_KIND_FOLLOW_UP, face)};
    follow_up.data.set_rule_code(code);
    cases.push_back(follow_up);
  }
  Case next{"next_session/2of3", Base(ReminderKind::REMINDER_KIND_NEXT_SESSION, face)};
  next.data.set_session_index(1);
  next.data.set_session_count(3);
  next.data.set_next_session_start_ms(ToMillis(Berlin(2026, 3, 31, 9, 5)));
  cases.push_back(next);
  Case open_course{"next_session/individual", next.data};
  open_course.data.set_session_count(0);
  open_course.data.set_next_session_start_ms(ToMillis(Berlin(2026, 12, 6, 17, 45)));
  cases.push_back(open_course);
  Case maintenance{"maintenance", Base(ReminderKind::REMINDER_KIND_MAINTENANCE, 0)};
  maintenance.data.set_maintenance_due_date(20270324);
  cases.push_back(maintenance);
  Case nudge{"maintenance_nudge", maintenance.data};
  nudge.data.set_kind(ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE);
  nudge.data.set_maintenance_due_date(20270901);
  cases.push_back(nudge);
  cases.push_back(
      {"confirmation_request", Base(ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST, face)});
  cases.push_back({"unspecified_kind", Base(ReminderKind::REMINDER_KIND_UNSPECIFIED, face)});
  return cases;
}

void Append(std::string& out, const std::string& title, const RenderInput& in) {
  const RenderedMessage m = Render(in);
  absl::StrAppend(&out, "=== ", title, "\n", "locale: ", m.locale,
                  " fell_back: ", m.fell_back ? "true" : "false", "\n", "subject: ", m.subject,
                  "\n", m.body, "\n");
}

std::string RenderAll() {
  std::string out;
  for (const auto& entry : protocol::BuiltInCatalog()) {
    for (const Case& c : CasesFor(entry.protocol)) {
      const ReminderRecord record{"r-1", v1::ReminderState::REMINDER_STATE_SCHEDULED, c.data};
      for (const char* locale : {"de", "en"}) {
        Append(out, absl::StrCat(entry.key, " ", c.name, " ", locale),
               {.reminder = &record,
                .protocol = &entry.protocol,
                .locale = locale,
                .first_name = "Anna",
                .clinic = kClinic,
                .time_zone = BerlinZone()});
      }
    }
  }
  // Fallbacks and the variations that do not depend on the protocol.
  const auto& p = protocol::FindCatalogEntry("collagen_injection")->protocol;
  protocol::v1::Protocol english_only = p;
  for (auto* rules : {english_only.mutable_pre_care(), english_only.mutable_aftercare()}) {
    for (auto& rule : *rules) {
      auto* ts = rule.mutable_text()->mutable_translations();
      ts->erase(
          std::remove_if(ts->begin(), ts->end(), [](const auto& t) { return t.locale() == "de"; }),
          ts->end());
    }
  }
  for (const Case& c : CasesFor(p)) {
    const ReminderRecord record{"r-1", v1::ReminderState::REMINDER_STATE_SCHEDULED, c.data};
    for (const char* locale : {"de-AT", "EN-gb", "fr", ""}) {
      Append(out, absl::StrCat("variant ", c.name, " locale=", locale),
             {.reminder = &record,
              .protocol = &p,
              .locale = locale,
              .first_name = "Anna",
              .clinic = kClinic,
              .time_zone = BerlinZone()});
    }
    for (const char* locale : {"de", "en"}) {
      Append(out, absl::StrCat("variant ", c.name, " sms no-name no-phone ", locale),
             {.reminder = &record,
              .protocol = &p,
              .locale = locale,
              .first_name = "",
              .clinic = kClinicWithoutPhone,
              .time_zone = BerlinZone(),
              .channel = patient::v1::CHANNEL_SMS});
      Append(out, absl::StrCat("variant ", c.name, " english-only-rules ", locale),
             {.reminder = &record,
              .protocol = &english_only,
              .locale = locale,
              .first_name = "{clinic}",
              .clinic = kClinic,
              .time_zone = BerlinZone()});
    }
  }
  // Every weekday and month, one- and two-digit days and hours.
  for (const char* language : {"de", "en", "fr", ""}) {
    for (int i = 0; i < 14; ++i) {
      const absl::CivilDay day = absl::CivilDay(2026, 1, 3) + 29L * i;
      const absl::Time t = absl::FromCivil(
          absl::CivilSecond(day.year(), day.month(), day.day(), (i * 5) % 24, (i * 7) % 60, 0),
          BerlinZone());
      absl::StrAppend(&out, "=== date ", language, " ", i, "\n", FormatLocalDate(day, language),
                      "\n", FormatLocalDateTime(t, BerlinZone(), language), "\n");
    }
  }
  return out;
}

TEST(TemplatesGoldenTest, EveryRenderingIsByteIdenticalToTheGoldenFile) {
  const std::string current = RenderAll();
  if (::dermaflow::testing::UpdateGoldenRequested()) {
    ::dermaflow::testing::WriteSourceFile(kGoldenPath, current);
    GTEST_SKIP() << "wrote " << kGoldenPath;
  }
  const std::string golden = ::dermaflow::testing::ReadSourceFile(kGoldenPath);
  ASSERT_FALSE(golden.empty()) << kGoldenPath;
  if (current == golden) return;
  // Name the first case that differs rather than dumping both files.
  const std::vector<std::string> want = absl::StrSplit(golden, "\n=== ");
  const std::vector<std::string> got = absl::StrSplit(current, "\n=== ");
  for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
    ASSERT_EQ(got[i], want[i]) << "case " << i;
  }
  ASSERT_EQ(got.size(), want.size());
}

}  // namespace
}  // namespace dermaflow::notification
