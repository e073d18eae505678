// Action links in messages: which messages carry which links, how a link
// is written and rendered, and that each token opens to exactly its one
// action on its appointment, expiring when the appointment starts.
#include "services/notification/delivery/action_link_minter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/templates.h"
#include "services/protocol/domain/catalog.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using namespace dermaflow::notification::testing;  // NOLINT
using patient::v1::Channel;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

ClinicInfo Clinic(std::string app_url) {
  return ClinicInfo{"clinic-mitte",
                    "Dermaflow Berlin Mitte",
                    "Europe/Berlin",
                    "+49301234567",
                    true,
                    std::move(app_url),
                    true};
}

ReminderRecord AppointmentReminder(absl::Time start) {
  ReminderRecord r{"rem-1", v1::REMINDER_STATE_SCHEDULED, {}};
  r.data.set_kind(v1::REMINDER_KIND_APPOINTMENT);
  r.data.set_appointment_id("appt-7");
  r.data.set_patient_id("p-1");
  r.data.set_session_start_ms(absl::ToUnixMillis(start));
  return r;
}

common::ActionTokenCodec Codec() {
  return common::ActionTokenCodec([] { return std::string(common::kTokenSecretSize, 'k'); });
}

// The token in a link "…?action=<token>".
std::string TokenOf(const std::string& link) { return link.substr(link.find("action=") + 7); }

TEST(ActionLinksTest, WhichMessagesCarryWhichLinks) {
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_APPOINTMENT, Channel::CHANNEL_EMAIL),
              ElementsAre(LinkAction::kCancel, LinkAction::kReschedule));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_APPOINTMENT, Channel::CHANNEL_IN_APP),
              ElementsAre(LinkAction::kCancel, LinkAction::kReschedule));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_APPOINTMENT, Channel::CHANNEL_SMS), IsEmpty());
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_CONFIRMATION_REQUEST, Channel::CHANNEL_IN_APP),
              ElementsAre(LinkAction::kConfirm, LinkAction::kCancel, LinkAction::kReschedule));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_CONFIRMATION_REQUEST, Channel::CHANNEL_SMS), IsEmpty());
  EXPECT_TRUE(AnsweredByReply(v1::REMINDER_KIND_CONFIRMATION_REQUEST, Channel::CHANNEL_SMS));
  EXPECT_FALSE(AnsweredByReply(v1::REMINDER_KIND_CONFIRMATION_REQUEST, Channel::CHANNEL_EMAIL));
  EXPECT_FALSE(AnsweredByReply(v1::REMINDER_KIND_APPOINTMENT, Channel::CHANNEL_SMS));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_WAITLIST_OFFER, Channel::CHANNEL_EMAIL),
              ElementsAre(LinkAction::kAcceptOffer, LinkAction::kDeclineOffer));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_WAITLIST_OFFER, Channel::CHANNEL_SMS),
              ElementsAre(LinkAction::kAcceptOffer));
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_AFTERCARE, Channel::CHANNEL_EMAIL), IsEmpty());
  EXPECT_THAT(LinksFor(v1::REMINDER_KIND_MAINTENANCE, Channel::CHANNEL_EMAIL), IsEmpty());
}

TEST(ActionLinksTest, LinkUrlAddsTheTokenAsAQueryParameter) {
  EXPECT_EQ(LinkUrl("https://app.example.de/a", "T0k-_"), "https://app.example.de/a?action=T0k-_");
  EXPECT_EQ(LinkUrl("https://app.example.de/a?clinic=m", "T"),
            "https://app.example.de/a?clinic=m&action=T");
}

TEST(ActionLinkMinterTest, EachLinkOpensToItsOneActionOnTheAppointmentUntilItStarts) {
  const common::ActionTokenCodec codec = Codec();
  const ActionLinkMinter minter(codec, /*replies=*/nullptr);
  const absl::Time start = kNow + absl::Hours(24);
  absl::StatusOr<ActionLinks> links =
      minter.Links("chain-a", AppointmentReminder(start), Clinic("https://app.example.de/a"),
                   Channel::CHANNEL_EMAIL, kNow);
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_TRUE(links->confirm.empty());
  EXPECT_TRUE(links->accept_offer.empty());
  ASSERT_THAT(links->cancel, HasSubstr("https://app.example.de/a?action="));
  absl::StatusOr<common::ActionClaims> cancel = codec.Open(TokenOf(links->cancel), kNow);
  ASSERT_TRUE(cancel.ok()) << cancel.status();
  EXPECT_EQ(cancel->organization, "chain-a");
  EXPECT_EQ(cancel->action, "CANCEL");
  EXPECT_EQ(cancel->subject_id, "appt-7");
  EXPECT_EQ(cancel->expire_time, start);
  absl::StatusOr<common::ActionClaims> reschedule = codec.Open(TokenOf(links->reschedule), kNow);
  ASSERT_TRUE(reschedule.ok());
  EXPECT_EQ(reschedule->action, "REQUEST_RESCHEDULE");
  EXPECT_NE(reschedule->token_id, cancel->token_id);
}

TEST(ActionLinkMinterTest, AnOffersLinksAreAboutTheOfferAndEndWithItsHold) {
  const common::ActionTokenCodec codec = Codec();
  const ActionLinkMinter minter(codec, /*replies=*/nullptr);
  ReminderRecord r{"rem-2", v1::REMINDER_STATE_SCHEDULED, {}};
  r.data.set_kind(v1::REMINDER_KIND_WAITLIST_OFFER);
  r.data.set_offer_id("offer-3");
  r.data.set_session_start_ms(absl::ToUnixMillis(kNow + absl::Hours(30)));
  r.data.set_hold_until_ms(absl::ToUnixMillis(kNow + absl::Hours(2)));
  absl::StatusOr<ActionLinks> links =
      minter.Links("chain-a", r, Clinic("https://a.de/x"), Channel::CHANNEL_SMS, kNow);
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_TRUE(links->decline_offer.empty());  // SMS: the accept link only
  absl::StatusOr<common::ActionClaims> accept = codec.Open(TokenOf(links->accept_offer), kNow);
  ASSERT_TRUE(accept.ok()) << accept.status();
  EXPECT_EQ(accept->action, "ACCEPT_OFFER");
  EXPECT_EQ(accept->subject_id, "offer-3");
  EXPECT_EQ(accept->expire_time, kNow + absl::Hours(2));
}

TEST(ActionLinkMinterTest, NoLinksWithoutAnAppUrlOverSmsOrOnceTheAppointmentStarted) {
  const common::ActionTokenCodec codec = Codec();
  const ActionLinkMinter minter(codec, /*replies=*/nullptr);
  const ReminderRecord r = AppointmentReminder(kNow + absl::Hours(2));
  EXPECT_TRUE(minter.Links("o", r, Clinic(""), Channel::CHANNEL_EMAIL, kNow)->cancel.empty());
  EXPECT_TRUE(
      minter.Links("o", r, Clinic("https://a.de"), Channel::CHANNEL_SMS, kNow)->cancel.empty());
  EXPECT_TRUE(
      minter.Links("o", r, Clinic("https://a.de"), Channel::CHANNEL_EMAIL, kNow + absl::Hours(2))
          ->cancel.empty());
}

TEST(ActionLinkMinterTest, AnUnreadableSecretIsUnavailableNotAMessageWithoutLinks) {
  const common::ActionTokenCodec codec(
      []() -> absl::StatusOr<std::string> { return absl::UnavailableError("redis down"); });
  const ActionLinkMinter minter(codec, /*replies=*/nullptr);
  EXPECT_EQ(minter
                .Links("o", AppointmentReminder(kNow + absl::Hours(2)), Clinic("https://a.de"),
                       Channel::CHANNEL_EMAIL, kNow)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

TEST(ActionLinksTest, LinksRenderAsLinesBeforeTheClosingInTheLanguage) {
  const auto& p = protocol::FindCatalogEntry("mesotherapy_hydralift")->protocol;
  ReminderRecord r = AppointmentReminder(Berlin(2026, 3, 24, 10, 0));
  r.data.set_protocol_id(p.id());
  ActionLinks links;
  links.Set(LinkAction::kCancel, "https://a.de/x?action=C");
  links.Set(LinkAction::kReschedule, "https://a.de/x?action=R");
  RenderInput in{.reminder = &r,
                 .protocol = &p,
                 .locale = "de",
                 .first_name = "Anna",
                 .clinic = Clinic("https://a.de/x"),
                 .time_zone = BerlinZone(),
                 .links = links};
  const std::string de = Render(in).body;
  EXPECT_THAT(de, HasSubstr("Termin absagen: https://a.de/x?action=C\n"
                            "Anderen Termin anfragen: https://a.de/x?action=R\n"
                            "Ihr Team von Dermaflow Berlin Mitte"));
  EXPECT_THAT(de, Not(HasSubstr("bestätigen")));
  in.locale = "en";
  EXPECT_THAT(Render(in).body, HasSubstr("Cancel your appointment: https://a.de/x?action=C"));
  in.links = {};
  EXPECT_THAT(Render(in).body, Not(HasSubstr("action=")));
}

}  // namespace
}  // namespace dermaflow::notification
