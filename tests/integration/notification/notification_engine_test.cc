// The engine end to end on real Redis, real patient and protocol services and
// real sinks: typed events in, the right reminders out, through SMTP and the
// SMS webhook, with German texts from the built-in catalog.
#include <atomic>
#include <thread>

#include "common/redis/erasure_ledger.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "services/notification/domain/idempotency_key.h"
#include "tests/integration/notification/notification_test_env.h"

namespace dermaflow::notification::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;
using v1::ReminderKind;
using v1::ReminderState;

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return ctx;
}

v1::Reminder Get(NotificationTestEnv& env, const std::string& id) {
  v1::GetReminderRequest request;
  request.set_id(id);
  v1::Reminder r;
  grpc::Status s = env.stub->GetReminder(Ctx().get(), request, &r);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return r;
}

std::vector<v1::Delivery> Deliveries(NotificationTestEnv& env, const std::string& patient_id,
                                     const std::vector<patient::v1::Channel>& channels = {}) {
  v1::ListDeliveriesRequest request;
  request.set_patient_id(patient_id);
  for (auto c : channels) request.add_channels(c);
  v1::ListDeliveriesResponse response;
  grpc::Status s = env.stub->ListDeliveries(Ctx().get(), request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {response.deliveries().begin(), response.deliveries().end()};
}

absl::Time DueOf(const v1::Reminder& r) { return ToTime(r.due_time()); }

TEST(NotificationEngineTest, GermanPatientGetsPreCareAftercareAndCheckIn) {
  NotificationTestEnv env;
  EXPECT_EQ(env.Metric("dermaflow_reminders_planned_total", {{"kind", "appointment"}}), 0);
  const std::string anna = env.CreatePatient({.given_name = "Anna",
                                              .locale = "de",
                                              .email = true,
                                              .preferred = patient::v1::CHANNEL_EMAIL});
  const auto session =
      env.AppointmentFor("a-1", anna, "mesotherapy_hydralift", Berlin(2026, 3, 18, 10, 0));
  env.Publish(Booked(session, env.clock.Now()));
  env.DrainEvents(1);

  const v1::Reminder reminder = env.OnlyReminder(anna, ReminderKind::REMINDER_KIND_APPOINTMENT);
  EXPECT_EQ(reminder.state(), ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(DueOf(reminder), Berlin(2026, 3, 17, 10, 0));
  EXPECT_EQ(reminder.rule_code(), "lead_24h");
  EXPECT_EQ(env.Dispatch(), 0);  // nothing due yet

  env.clock.Set(Berlin(2026, 3, 17, 10, 0));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(1, std::chrono::seconds(5)));
  const Mail pre = env.smtp.mails()[0];
  EXPECT_THAT(pre.subject, HasSubstr("Erinnerung an Ihren Termin"));
  EXPECT_THAT(pre.body, HasSubstr("Hallo Anna,"));
  EXPECT_THAT(pre.body, HasSubstr("Mittwoch, 18. März 2026, 10:00 Uhr"));
  EXPECT_THAT(pre.body, HasSubstr("Koffein"));
  EXPECT_THAT(pre.body, HasSubstr("Make-up"));
  EXPECT_EQ(pre.headers.at("x-dermaflow-reminder-id"), reminder.id());
  EXPECT_THAT(pre.rcpt_to, Contains(HasSubstr("anna.mueller@example.org")));
  const v1::Reminder delivered = Get(env, reminder.id());
  EXPECT_EQ(delivered.state(), ReminderState::REMINDER_STATE_DELIVERED);
  EXPECT_EQ(delivered.channel(), patient::v1::CHANNEL_EMAIL);
  EXPECT_EQ(delivered.locale(), "de");
  EXPECT_EQ(delivered.attempts(), 1);

  // The session: facial, with bruising recorded.
  env.clock.Set(Berlin(2026, 3, 18, 10, 40));
  env.Publish(Fulfilled(session, env.clock.Now(), {scheduling::v1::SIDE_EFFECT_BRUISING}));
  env.DrainEvents(1);
  const v1::Reminder check_in =
      env.OnlyReminder(anna, ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN);
  EXPECT_EQ(DueOf(check_in), Berlin(2026, 3, 20, 10, 40));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(2, std::chrono::seconds(5)));
  const Mail aftercare = env.smtp.mails()[1];
  EXPECT_THAT(aftercare.body, HasSubstr("Sauna"));
  EXPECT_THAT(aftercare.body, HasSubstr("Make-up"));
  EXPECT_THAT(aftercare.body, HasSubstr("Arnika"));
  EXPECT_THAT(aftercare.body, HasSubstr("+49301234567"));

  env.clock.Set(Berlin(2026, 3, 20, 10, 40));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(3, std::chrono::seconds(5)));
  EXPECT_THAT(env.smtp.mails()[2].body, HasSubstr("wie geht es Ihnen"));

  const std::vector<v1::Delivery> history = Deliveries(env, anna);
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_EQ(history[0].kind(), ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN);  // newest first
  EXPECT_EQ(history[2].reminder_id(), reminder.id());
  EXPECT_EQ(env.Metric("dermaflow_reminders_planned_total", {{"kind", "appointment"}}), 1);
  EXPECT_EQ(env.Metric("dermaflow_reminders_delivered_total",
                       {{"kind", "aftercare"}, {"channel", "email"}}),
            1);
  EXPECT_EQ(env.Metric("dermaflow_events_consumed_total",
                       {{"type", "appointment.fulfilled"}, {"result", "applied"}}),
            1);
}

TEST(NotificationEngineTest, CollagenDaySevenCheckAcrossDstThenMaintenanceInEnglish) {
  NotificationTestEnv env;
  const std::string ben =
      env.CreatePatient({.given_name = "Ben", .locale = "en-GB", .email = true});
  env.clock.Set(Berlin(2026, 3, 27, 10, 30));
  env.Publish(
      Fulfilled(env.AppointmentFor("a-c", ben, "collagen_injection", Berlin(2026, 3, 27, 10, 0)),
                env.clock.Now()));
  env.DrainEvents(1);
  const v1::Reminder check = env.OnlyReminder(ben, ReminderKind::REMINDER_KIND_FOLLOW_UP);
  EXPECT_EQ(check.rule_code(), "day7_result_check");
  EXPECT_EQ(DueOf(check), Berlin(2026, 4, 3, 10, 30));  // CEST by then: same local time
  EXPECT_EQ(env.Dispatch(), 1);                         // the aftercare message
  env.clock.Set(Berlin(2026, 4, 3, 10, 30));
  EXPECT_GE(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(2, std::chrono::seconds(5)));
  bool found = false;
  for (const Mail& m : env.smtp.mails()) {
    if (m.headers.at("x-dermaflow-reminder-id") != check.id()) continue;
    found = true;
    EXPECT_THAT(m.body, HasSubstr("Hello Ben,"));
    EXPECT_THAT(m.body, HasSubstr("Friday, 27 March 2026"));
    EXPECT_THAT(m.body, HasSubstr("Seven days"));
  }
  EXPECT_TRUE(found);

  // A year on: maintenance 14 days before the due date, at 10:00.
  env.Publish(CourseCompleted("c-1", ben, env.Protocol("collagen_injection").id, 2027, 3, 27,
                              env.clock.Now()));
  env.DrainEvents(1);
  const v1::Reminder maintenance = env.OnlyReminder(ben, ReminderKind::REMINDER_KIND_MAINTENANCE);
  EXPECT_EQ(DueOf(maintenance), Berlin(2027, 3, 13, 10, 0));
  const v1::Reminder nudge = env.OnlyReminder(ben, ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE);
  const size_t before = env.smtp.mails().size();
  env.clock.Set(Berlin(2027, 3, 13, 10, 0));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(before + 1, std::chrono::seconds(5)));
  const Mail due = env.smtp.mails().back();
  EXPECT_EQ(due.headers.at("x-dermaflow-reminder-id"), maintenance.id());
  EXPECT_THAT(due.body, HasSubstr("maintenance session is due from Saturday, 27 March 2027"));

  // Booking the protocol again ends the nudge.
  env.Publish(
      Booked(env.AppointmentFor("a-m", ben, "collagen_injection", Berlin(2027, 3, 30, 9, 0)),
             env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(Get(env, nudge.id()).state(), ReminderState::REMINDER_STATE_CANCELLED);
  EXPECT_EQ(Get(env, nudge.id()).state_detail(), "protocol booked again");
}

TEST(NotificationEngineTest, RescheduleMovesAndCancelEndsTheReminders) {
  NotificationTestEnv env;
  const std::string pat = env.CreatePatient({.sms = true});
  const auto session = env.AppointmentFor("a-1", pat, "mesobotox", Berlin(2026, 3, 20, 10, 0));
  const events::v1::Event booked = Booked(session, env.clock.Now());
  env.Publish(booked);
  env.DrainEvents(1);
  const v1::Reminder first = env.OnlyReminder(pat, ReminderKind::REMINDER_KIND_APPOINTMENT);
  EXPECT_EQ(DueOf(first), Berlin(2026, 3, 19, 10, 0));

  env.clock.Advance(absl::Hours(1));
  env.Publish(Rescheduled(session, Berlin(2026, 3, 23, 15, 0), env.clock.Now()));
  env.DrainEvents(1);
  const v1::Reminder old = Get(env, first.id());
  EXPECT_EQ(old.state(), ReminderState::REMINDER_STATE_CANCELLED);
  EXPECT_EQ(old.state_detail(), "appointment moved");
  std::vector<v1::Reminder> scheduled;
  for (const v1::Reminder& r : env.Reminders(pat)) {
    if (r.state() == ReminderState::REMINDER_STATE_SCHEDULED) scheduled.push_back(r);
  }
  ASSERT_THAT(scheduled, SizeIs(1));
  EXPECT_EQ(DueOf(scheduled[0]), Berlin(2026, 3, 22, 15, 0));

  // A late duplicate of the original booking changes nothing.
  env.Publish(booked);
  env.DrainEvents(1);
  EXPECT_EQ(env.Metric("dermaflow_events_consumed_total",
                       {{"type", "appointment.booked"}, {"result", "stale"}}),
            1);
  EXPECT_EQ(Get(env, first.id()).state(), ReminderState::REMINDER_STATE_CANCELLED);

  env.clock.Advance(absl::Hours(1));
  env.Publish(Cancelled(session, env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(Get(env, scheduled[0].id()).state(), ReminderState::REMINDER_STATE_CANCELLED);
  EXPECT_EQ(Get(env, scheduled[0].id()).state_detail(), "appointment cancelled");
  env.clock.Set(Berlin(2026, 3, 24, 12, 0));
  EXPECT_EQ(env.Dispatch(), 0);
  EXPECT_EQ(env.sms_gateway.count(), 0u);
}

TEST(NotificationEngineTest, WithdrawnConsentSuppressesWhatCannotBeSent) {
  NotificationTestEnv env;
  const std::string sms_only = env.CreatePatient({.sms = true});
  const std::string both =
      env.CreatePatient({.email = true, .sms = true, .preferred = patient::v1::CHANNEL_SMS});
  env.Publish(Booked(env.AppointmentFor("a-1", sms_only, "mesobotox", Berlin(2026, 3, 20, 10, 0)),
                     env.clock.Now()));
  env.Publish(Booked(env.AppointmentFor("a-2", both, "mesobotox", Berlin(2026, 3, 20, 11, 0)),
                     env.clock.Now()));
  env.DrainEvents(2);

  // Through the patient service, which publishes patient.consent_changed.
  env.SetConsent(sms_only, patient::v1::CHANNEL_SMS, patient::v1::CONSENT_STATE_WITHDRAWN);
  env.SetConsent(both, patient::v1::CHANNEL_SMS, patient::v1::CONSENT_STATE_WITHDRAWN);
  env.DrainEvents(2);
  const v1::Reminder gone = env.OnlyReminder(sms_only, ReminderKind::REMINDER_KIND_APPOINTMENT);
  EXPECT_EQ(gone.state(), ReminderState::REMINDER_STATE_SUPPRESSED);
  EXPECT_EQ(gone.suppression_reason(), v1::SuppressionReason::SUPPRESSION_REASON_NO_CONSENT);
  EXPECT_EQ(gone.state_detail(), "consent withdrawn");
  EXPECT_EQ(env.OnlyReminder(both, ReminderKind::REMINDER_KIND_APPOINTMENT).state(),
            ReminderState::REMINDER_STATE_SCHEDULED);

  env.clock.Set(Berlin(2026, 3, 19, 11, 0));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.smtp.WaitForCount(1, std::chrono::seconds(5)));  // e-mail instead of SMS
  EXPECT_EQ(env.sms_gateway.count(), 0u);
  EXPECT_EQ(env.OnlyReminder(both, ReminderKind::REMINDER_KIND_APPOINTMENT).channel(),
            patient::v1::CHANNEL_EMAIL);
}

TEST(NotificationEngineTest, FailingGatewayRetriesThenDeadLettersAndRequeueDelivers) {
  NotificationTestEnv env;
  env.sms_gateway.set_status(500);
  const std::string pat = env.CreatePatient({.sms = true});
  env.clock.Set(Berlin(2026, 3, 18, 10, 40));
  env.Publish(
      Fulfilled(env.AppointmentFor("a-1", pat, "mesotherapy_body", Berlin(2026, 3, 18, 10, 0),
                                   {protocol::v1::TREATMENT_AREA_THIGHS}),
                env.clock.Now()));
  env.DrainEvents(1);
  const std::string id = env.OnlyReminder(pat, ReminderKind::REMINDER_KIND_AFTERCARE).id();

  EXPECT_EQ(env.Dispatch(), 1);
  v1::Reminder r = Get(env, id);
  EXPECT_EQ(r.state(), ReminderState::REMINDER_STATE_RETRYING);
  EXPECT_EQ(r.attempts(), 1);
  EXPECT_EQ(r.last_error().code(), static_cast<int>(absl::StatusCode::kUnavailable));
  EXPECT_GE(DueOf(r),
            env.clock.Now() + absl::Seconds(30));  // 1 min base, jittered into [30 s, 60 s]
  EXPECT_LE(DueOf(r), env.clock.Now() + absl::Seconds(60));

  env.clock.Advance(absl::Minutes(1));
  EXPECT_EQ(env.Dispatch(), 1);
  EXPECT_EQ(Get(env, id).attempts(), 2);
  env.clock.Advance(absl::Minutes(2));
  EXPECT_EQ(env.Dispatch(), 1);
  r = Get(env, id);
  EXPECT_EQ(r.state(), ReminderState::REMINDER_STATE_DEAD_LETTER);
  EXPECT_EQ(r.attempts(), 3);
  EXPECT_EQ(env.sms_gateway.count(), 3u);

  v1::ListDeadLettersResponse dead;
  ASSERT_TRUE(env.stub->ListDeadLetters(Ctx().get(), {}, &dead).ok());
  ASSERT_THAT(dead.reminders(), SizeIs(1));
  EXPECT_EQ(dead.reminders(0).id(), id);
  v1::QueueStats stats;
  ASSERT_TRUE(env.stub->GetQueueStats(Ctx().get(), {}, &stats).ok());
  EXPECT_EQ(stats.dead_letter(), 1);
  EXPECT_EQ(
      env.Metric("dermaflow_reminders_failed_total", {{"kind", "aftercare"}, {"channel", "sms"}}),
      3);
  EXPECT_EQ(env.Metric("dermaflow_reminders_dead_lettered_total",
                       {{"kind", "aftercare"}, {"channel", "sms"}}),
            1);

  env.sms_gateway.set_status(200);
  v1::RequeueDeadLetterRequest requeue;
  requeue.set_id(id);
  v1::Reminder requeued;
  ASSERT_TRUE(env.stub->RequeueDeadLetter(Ctx().get(), requeue, &requeued).ok());
  EXPECT_EQ(requeued.state(), ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(requeued.attempts(), 0);
  EXPECT_EQ(env.Dispatch(), 1);
  EXPECT_EQ(Get(env, id).state(), ReminderState::REMINDER_STATE_DELIVERED);

  // Every call was signed and carried the reminder's idempotency key.
  const auto requests = env.sms_gateway.requests();
  ASSERT_THAT(requests, SizeIs(4));
  for (const HttpRequest& req : requests) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.headers.at("x-dermaflow-signature"),
              "sha256=" + HmacSha256HexForTest(kSmsSecret, req.body));
    EXPECT_EQ(req.headers.at("idempotency-key"), IdempotencyKey(kOrg, id));
    EXPECT_EQ(JsonField(req.body, "to"), "+4915112345678");
    EXPECT_THAT(JsonField(req.body, "text"), HasSubstr("Sauna"));
    EXPECT_THAT(JsonField(req.body, "text"), ::testing::Not(HasSubstr("Make-up")));  // body only
  }
}

// An e-mail server that took a message but whose answer was lost (451 after
// the data): the retry is the same message, so a server or the patient's
// mail client that deduplicates by Message-ID shows it once; another
// reminder is another message.
TEST(NotificationEngineTest, AnEmailRetryIsTheSameMessageAndAnotherReminderAnother) {
  NotificationTestEnv env;
  const std::string anna =
      env.CreatePatient({.email = true, .preferred = patient::v1::CHANNEL_EMAIL});
  const std::string ben = env.CreatePatient(
      {.given_name = "Ben", .email = true, .preferred = patient::v1::CHANNEL_EMAIL});
  env.clock.Set(Berlin(2026, 3, 18, 10, 40));
  env.Publish(Fulfilled(
      env.AppointmentFor("a-1", anna, "mesotherapy_hydralift", Berlin(2026, 3, 18, 10, 0)),
      env.clock.Now()));
  env.DrainEvents(1);
  env.smtp.FailAfterData(1);
  EXPECT_EQ(env.Dispatch(), 1);
  const std::string first = env.OnlyReminder(anna, ReminderKind::REMINDER_KIND_AFTERCARE).id();
  EXPECT_EQ(Get(env, first).state(), ReminderState::REMINDER_STATE_RETRYING);

  env.clock.Advance(absl::Minutes(2));
  env.Publish(
      Fulfilled(env.AppointmentFor("a-2", ben, "mesotherapy_hydralift", Berlin(2026, 3, 18, 10, 0)),
                env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(env.Dispatch(), 2);
  const std::string second = env.OnlyReminder(ben, ReminderKind::REMINDER_KIND_AFTERCARE).id();
  EXPECT_EQ(Get(env, first).state(), ReminderState::REMINDER_STATE_DELIVERED);
  EXPECT_EQ(Get(env, second).state(), ReminderState::REMINDER_STATE_DELIVERED);

  std::map<std::string, std::vector<std::string>> message_ids;  // reminder -> per attempt
  for (const Mail& mail : env.smtp.mails()) {
    message_ids[mail.headers.at("x-dermaflow-reminder-id")].push_back(
        mail.headers.at("message-id"));
  }
  const std::string first_id = "<" + IdempotencyKey(kOrg, first) + "@dermaflow.test>";
  EXPECT_THAT(message_ids[first], ::testing::ElementsAre(first_id, first_id));
  ASSERT_THAT(message_ids[second], SizeIs(1));
  EXPECT_NE(message_ids[second][0], first_id);
  EXPECT_EQ(message_ids[second][0], "<" + IdempotencyKey(kOrg, second) + "@dermaflow.test>");
}

TEST(NotificationEngineTest, SmsWaitsForTheEndOfQuietHours) {
  NotificationTestEnv env;
  const std::string pat = env.CreatePatient({.sms = true});
  env.clock.Set(Berlin(2026, 3, 18, 21, 30));
  env.Publish(Fulfilled(env.AppointmentFor("a-1", pat, "mesobotox", Berlin(2026, 3, 18, 20, 45)),
                        env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(env.Dispatch(), 1);
  const v1::Reminder held = env.OnlyReminder(pat, ReminderKind::REMINDER_KIND_AFTERCARE);
  EXPECT_EQ(held.state(), ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(DueOf(held), Berlin(2026, 3, 19, 8, 0));
  EXPECT_EQ(ToTime(held.original_due_time()), Berlin(2026, 3, 18, 21, 30));
  EXPECT_EQ(held.state_detail(), "moved out of quiet hours");
  EXPECT_EQ(env.sms_gateway.count(), 0u);
  env.clock.Set(Berlin(2026, 3, 19, 8, 0));
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_TRUE(env.sms_gateway.WaitForCount(1, std::chrono::seconds(5)));
  EXPECT_EQ(Get(env, held.id()).state(), ReminderState::REMINDER_STATE_DELIVERED);
}

TEST(NotificationEngineTest, InAppDeliveriesStreamToWatchersAtAnyHour) {
  NotificationTestEnv env;
  const std::string pat =
      env.CreatePatient({.in_app = true, .preferred = patient::v1::CHANNEL_IN_APP});
  grpc::ClientContext watch_ctx;
  v1::WatchNotificationsRequest watch;
  watch.set_patient_id(pat);
  watch.add_channels(patient::v1::CHANNEL_IN_APP);
  auto reader = env.stub->WatchNotifications(&watch_ctx, watch);
  for (int i = 0; i < 100 && env.app().hub().watchers() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(env.app().hub().watchers(), 1);

  env.clock.Set(Berlin(2026, 3, 18, 23, 0));  // quiet hours do not hold in-app messages
  env.Publish(
      Fulfilled(env.AppointmentFor("a-1", pat, "mesotherapy_hydralift", Berlin(2026, 3, 18, 22, 0)),
                env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(env.Dispatch(), 1);
  v1::Delivery pushed;
  ASSERT_TRUE(reader->Read(&pushed));
  EXPECT_EQ(pushed.patient_id(), pat);
  EXPECT_EQ(pushed.channel(), patient::v1::CHANNEL_IN_APP);
  EXPECT_EQ(pushed.kind(), ReminderKind::REMINDER_KIND_AFTERCARE);
  EXPECT_THAT(pushed.body(), HasSubstr("Sauna"));
  // Shutting down ends the stream cleanly, telling the client to reconnect.
  env.app().hub().Shutdown();
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(Deliveries(env, pat, {patient::v1::CHANNEL_IN_APP}), SizeIs(1));
  EXPECT_THAT(Deliveries(env, pat, {patient::v1::CHANNEL_SMS}), IsEmpty());
}

// One tenant cannot take every watch slot of a replica (issue 16).
TEST(NotificationEngineTest, WatchStreamsAreLimitedPerOrganization) {
  NotificationTestEnv env([](NotificationConfig& c) { c.hub.max_watchers_per_org = 2; });
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::Delivery>>> readers;
  auto open = [&] {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(env.stub->WatchNotifications(contexts.back().get(), {}));
  };
  open();
  open();
  for (int i = 0; i < 100 && env.app().hub().watchers() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(env.app().hub().watchers(), 2);

  open();
  const grpc::Status refused = readers.back()->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("--max_watchers_per_org"));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  google::rpc::QuotaFailure quota;
  ASSERT_EQ(details.details_size(), 1);
  ASSERT_TRUE(details.details(0).UnpackTo(&quota));
  EXPECT_THAT(quota.violations(0).subject(), StartsWith("organization:"));
  // Counted like every per-organization limit (docs/operations.md).
  EXPECT_EQ(env.Metric("dermaflow_org_limit_refusals_total",
                       {{"limit", "max_watchers_per_org"}, {"grpc_method", "WatchNotifications"}}),
            1);

  // Another organization still gets a stream on the same replica.
  std::atomic<bool> done = false;
  std::thread other([&] {
    EXPECT_TRUE(env.app()
                    .hub()
                    .Watch(
                        "another-org", {}, [](const v1::Delivery&) { return true; },
                        [&] { return done.load(); })
                    .ok());
  });
  for (int i = 0; i < 100 && env.app().hub().watchers() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(env.app().hub().watchers(), 3);
  done = true;
  other.join();
  for (auto& c : contexts) c->TryCancel();
  for (size_t i = 0; i + 1 < readers.size(); ++i) readers[i]->Finish();
}

TEST(NotificationEngineTest, ErasureRemovesRemindersAndMessagesForGood) {
  NotificationTestEnv env;
  const std::string pat = env.CreatePatient({.email = true});
  const auto session = env.AppointmentFor("a-1", pat, "mesobotox", Berlin(2026, 3, 16, 10, 0));
  env.clock.Set(Berlin(2026, 3, 16, 10, 40));
  env.Publish(Fulfilled(session, env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_EQ(env.Dispatch(), 1);
  ASSERT_THAT(Deliveries(env, pat), SizeIs(1));
  const std::string aftercare = env.OnlyReminder(pat, ReminderKind::REMINDER_KIND_AFTERCARE).id();

  env.ErasePatient(pat);  // the patient service publishes patient.erased
  // What the patient service recorded aside: notification records its own
  // deletion, so the AOF rewrite that follows covers the texts too.
  ASSERT_TRUE(env.redis().Command({"DEL", common::PendingErasuresKey()}).ok());
  env.DrainEvents(1);
  EXPECT_THAT(env.Reminders(pat), IsEmpty());
  EXPECT_THAT(Deliveries(env, pat), IsEmpty());
  EXPECT_EQ(env.redis().Command({"ZCARD", common::PendingErasuresKey()})->integer(), 1);
  v1::GetReminderRequest get;
  get.set_id(aftercare);
  v1::Reminder r;
  EXPECT_EQ(env.stub->GetReminder(Ctx().get(), get, &r).error_code(), grpc::StatusCode::NOT_FOUND);

  // A later event about the patient plans nothing.
  env.clock.Advance(absl::Hours(1));
  env.Publish(Booked(env.AppointmentFor("a-2", pat, "mesobotox", Berlin(2026, 3, 30, 10, 0)),
                     env.clock.Now()));
  env.DrainEvents(1);
  EXPECT_THAT(env.Reminders(pat), IsEmpty());
}

TEST(NotificationEngineTest, SettingsPagingAndErrors) {
  NotificationTestEnv env;
  v1::NotificationSettings settings;
  ASSERT_TRUE(env.stub->GetNotificationSettings(Ctx().get(), {}, &settings).ok());
  EXPECT_EQ(settings.etag(), "0");
  v1::UpdateNotificationSettingsRequest update;
  *update.mutable_settings() = settings;
  *update.mutable_settings()->add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(72));
  *update.mutable_settings()->add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(24));
  update.mutable_update_mask()->add_paths("appointment_reminder_leads");
  v1::NotificationSettings updated;
  ASSERT_TRUE(env.stub->UpdateNotificationSettings(Ctx().get(), update, &updated).ok());
  EXPECT_EQ(updated.etag(), "1");
  EXPECT_EQ(env.stub->UpdateNotificationSettings(Ctx().get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED);  // etag "0" is stale now
  update.mutable_update_mask()->set_paths(0, "etag");
  EXPECT_EQ(env.stub->UpdateNotificationSettings(Ctx().get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string pat = env.CreatePatient({.email = true});
  env.Publish(Booked(env.AppointmentFor("a-1", pat, "mesobotox", Berlin(2026, 3, 27, 10, 0)),
                     env.clock.Now()));
  env.DrainEvents(1);
  // Two leads now; listed a page at a time in due order.
  v1::ListRemindersRequest list;
  list.set_patient_id(pat);
  list.set_page_size(1);
  v1::ListRemindersResponse page1, page2;
  ASSERT_TRUE(env.stub->ListReminders(Ctx().get(), list, &page1).ok());
  ASSERT_THAT(page1.reminders(), SizeIs(1));
  EXPECT_EQ(page1.reminders(0).rule_code(), "lead_72h");
  ASSERT_FALSE(page1.next_page_token().empty());
  list.set_page_token(page1.next_page_token());
  ASSERT_TRUE(env.stub->ListReminders(Ctx().get(), list, &page2).ok());
  ASSERT_THAT(page2.reminders(), SizeIs(1));
  EXPECT_EQ(page2.reminders(0).rule_code(), "lead_24h");
  EXPECT_TRUE(page2.next_page_token().empty());
  list.set_patient_id("someone-else");
  EXPECT_EQ(env.stub->ListReminders(Ctx().get(), list, &page2).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Without a patient: the queue in due order.
  v1::ListRemindersRequest queue;
  queue.add_states(ReminderState::REMINDER_STATE_SCHEDULED);
  v1::ListRemindersResponse queued;
  ASSERT_TRUE(env.stub->ListReminders(Ctx().get(), queue, &queued).ok());
  ASSERT_THAT(queued.reminders(), SizeIs(2));
  EXPECT_LT(DueOf(queued.reminders(0)), DueOf(queued.reminders(1)));

  v1::CancelReminderRequest cancel;
  cancel.set_id(page1.reminders(0).id());
  cancel.set_note("patient asked by phone");
  v1::Reminder cancelled;
  ASSERT_TRUE(env.stub->CancelReminder(Ctx().get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), ReminderState::REMINDER_STATE_CANCELLED);
  EXPECT_EQ(cancelled.state_detail(), "patient asked by phone");
  grpc::Status again = env.stub->CancelReminder(Ctx().get(), cancel, &cancelled);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetReminderRequest get;
  v1::Reminder r;
  EXPECT_EQ(env.stub->GetReminder(Ctx().get(), get, &r).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  get.set_id("no-such-reminder");
  EXPECT_EQ(env.stub->GetReminder(Ctx().get(), get, &r).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::ListRemindersRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(env.stub->ListReminders(Ctx().get(), negative, &queued).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace dermaflow::notification::testing
