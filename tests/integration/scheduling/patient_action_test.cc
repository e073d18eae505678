// PatientActionService over real gRPC and a real redis-server: an action
// token from a message does exactly its one action on exactly its one
// appointment, once, with no access token; forged, expired, replayed and
// cross-tenant tokens are refused and change nothing.
#include <memory>
#include <string>

#include "common/api/action_token.h"
#include "common/api/page_token_secret.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/api/patient_action_service.h"
#include "services/scheduling/store/redis_action_ledger.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::StartsWith;

class PatientActionTest : public ::testing::Test {
 protected:
  PatientActionTest()
      : org_(env_.SetUpOrganization("clinic-a")),
        other_org_(env_.SetUpOrganization("clinic-b")),
        patient_(env_.CreatePatient(org_)),
        codec_([this] { return common::LoadActionTokenSecret(env_.redis()); }),
        ledger_(env_.redis()),
        waitlist_(env_.waitlist_deps()),
        actions_(waitlist_, ledger_),
        service_(codec_, actions_, /*admission=*/nullptr, env_.clock()),
        server_({&service_}),
        stub_(v1::PatientActionService::NewStub(server_.channel())) {}

  v1::Appointment Book(const std::string& patient, absl::Time start, const std::string& id) {
    v1::Appointment a;
    grpc::Status s = env_.BookCollagen(org_, patient, start, id, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return a;
  }

  v1::Appointment Get(const std::string& id) {
    v1::GetAppointmentRequest r;
    r.set_id(id);
    v1::Appointment a;
    EXPECT_TRUE(env_.scheduling()
                    .GetAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), r, &a)
                    .ok());
    return a;
  }

  std::string Token(v1::PatientAction action, const v1::Appointment& a,
                    const std::string& org = "clinic-a") {
    absl::StatusOr<std::string> token =
        codec_.Mint({.organization = org,
                     .action = v1::PatientAction_Name(action).substr(15),  // "CANCEL"
                     .subject_id = a.id(),
                     .expire_time = FromTs(a.start_time())});
    EXPECT_TRUE(token.ok()) << token.status();
    return *token;
  }

  // No authorization header: the token is the credential.
  grpc::Status Perform(const std::string& token, v1::ActionResult* result) {
    grpc::ClientContext ctx;
    v1::PerformActionRequest request;
    request.set_action_token(token);
    return stub_->PerformAction(&ctx, request, result);
  }
  grpc::Status Describe(const std::string& token, v1::ActionDescription* description) {
    grpc::ClientContext ctx;
    v1::DescribeActionRequest request;
    request.set_action_token(token);
    return stub_->DescribeAction(&ctx, request, description);
  }

  SchedulingEnv env_;
  Organization org_;
  Organization other_org_;
  std::string patient_;
  common::ActionTokenCodec codec_;
  RedisActionLedger ledger_;
  WaitlistDeps waitlist_;
  PatientActions actions_;
  PatientActionGrpcService service_;
  dermaflow::testing::TestServer server_;
  std::unique_ptr<v1::PatientActionService::Stub> stub_;
};

TEST_F(PatientActionTest, CancelFromALinkFreesTheSlotAndRecordsWhoDidIt) {
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 10, 0);
  const v1::Appointment a = Book(patient_, start, "r-1");
  const std::string token = Token(v1::PATIENT_ACTION_CANCEL, a);

  v1::ActionDescription before;
  ASSERT_TRUE(Describe(token, &before).ok());
  EXPECT_EQ(before.action(), v1::PATIENT_ACTION_CANCEL);
  EXPECT_FALSE(before.used());
  EXPECT_EQ(before.appointment().appointment_id(), a.id());
  EXPECT_EQ(before.appointment().clinic_display_name().empty(), false);
  EXPECT_EQ(before.appointment().time_zone(), "Europe/Berlin");
  EXPECT_EQ(before.appointment().state(), v1::APPOINTMENT_STATE_BOOKED);

  v1::ActionResult result;
  grpc::Status s = Perform(token, &result);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(result.appointment().state(), v1::APPOINTMENT_STATE_CANCELLED);
  const v1::Appointment cancelled = Get(a.id());
  EXPECT_EQ(cancelled.state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancellation().reason(), v1::CANCELLATION_REASON_PATIENT_REQUEST);
  EXPECT_THAT(cancelled.cancellation().cancelled_by(), StartsWith("patient:link/"));

  // appointment.cancelled went out, naming the patient's link as the actor.
  const std::vector<events::v1::Event> events = env_.Events("clinic-a");
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(events.back().has_appointment_cancelled());
  EXPECT_THAT(events.back().actor(), StartsWith("patient:link/"));

  // The slot is free for the next patient.
  Book(env_.CreatePatient(org_), start, "r-2");

  v1::ActionDescription after;
  ASSERT_TRUE(Describe(token, &after).ok());
  EXPECT_TRUE(after.used());
}

TEST_F(PatientActionTest, ASecondUseIsRefusedAndChangesNothing) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::wednesday, 11, 0), "r-1");
  const std::string token = Token(v1::PATIENT_ACTION_CANCEL, a);
  v1::ActionResult result;
  ASSERT_TRUE(Perform(token, &result).ok());
  const size_t events_after_first = env_.Events("clinic-a").size();

  grpc::Status again = Perform(token, &result);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(again), "ACTION_ALREADY_USED");
  EXPECT_EQ(env_.Events("clinic-a").size(), events_after_first);
}

TEST_F(PatientActionTest, ForgedExpiredAndCrossTenantTokensChangeNothing) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::thursday, 9, 0), "r-1");
  v1::ActionResult result;

  std::string forged = Token(v1::PATIENT_ACTION_CANCEL, a);
  forged[30] = forged[30] == 'x' ? 'y' : 'x';
  grpc::Status s = Perform(forged, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReasonOf(s), common::kActionTokenInvalid);

  // Minted by another deployment (another secret).
  common::ActionTokenCodec foreign([] { return std::string(common::kTokenSecretSize, 'f'); });
  s = Perform(*foreign.Mint({.organization = "clinic-a",
                             .action = "CANCEL",
                             .subject_id = a.id(),
                             .expire_time = FromTs(a.start_time())}),
              &result);
  EXPECT_EQ(ErrorReasonOf(s), common::kActionTokenInvalid);

  // A token of clinic-b naming clinic-a's appointment finds nothing there.
  s = Perform(Token(v1::PATIENT_ACTION_CANCEL, a, "clinic-b"), &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();

  const std::string late = Token(v1::PATIENT_ACTION_CANCEL, a);
  env_.clock().Set(FromTs(a.start_time()));
  s = Perform(late, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReasonOf(s), common::kActionTokenExpired);

  EXPECT_EQ(Get(a.id()).state(), v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(Get(a.id()).etag(), a.etag());
}

TEST_F(PatientActionTest, AFailedActionLeavesTheTokenUsable) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::friday, 9, 0), "r-1");
  const std::string token = Token(v1::PATIENT_ACTION_CANCEL, a);
  // Reception cancels first: the patient's cancel now fails on the state...
  v1::CancelAppointmentRequest cancel;
  cancel.set_id(a.id());
  cancel.set_etag(a.etag());
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_CLINIC_REQUEST);
  v1::Appointment cancelled;
  ASSERT_TRUE(
      env_.scheduling()
          .CancelAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), cancel, &cancelled)
          .ok());
  v1::ActionResult result;
  grpc::Status s = Perform(token, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_EQ(PreconditionFailureOf(s).violations_size(), 1);
  EXPECT_EQ(PreconditionFailureOf(s).violations(0).type(), "APPOINTMENT_STATE");
  // ...and the token was not spent on it.
  v1::ActionDescription description;
  ASSERT_TRUE(Describe(token, &description).ok());
  EXPECT_FALSE(description.used());
}

TEST_F(PatientActionTest, AConfirmedPatientMayStillAskForAnotherTime) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::tuesday, 12, 0), "r-1");
  v1::ActionResult result;
  ASSERT_TRUE(Perform(Token(v1::PATIENT_ACTION_CONFIRM, a), &result).ok());
  EXPECT_EQ(result.appointment().confirmation_state(), v1::CONFIRMATION_STATE_CONFIRMED);
  grpc::Status s = Perform(Token(v1::PATIENT_ACTION_REQUEST_RESCHEDULE, a), &result);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Get(a.id()).confirmation().state(), v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED);
  EXPECT_EQ(Get(a.id()).state(), v1::APPOINTMENT_STATE_BOOKED);
}

TEST_F(PatientActionTest, ALinkToAMovedAppointmentChangesNothing) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::tuesday, 14, 0), "r-1");
  const std::string stale = Token(v1::PATIENT_ACTION_CONFIRM, a);
  v1::RescheduleAppointmentRequest move;
  move.set_id(a.id());
  move.set_etag(a.etag());
  *move.mutable_start_time() = Ts(FromTs(a.start_time()) + absl::Hours(1));
  v1::Appointment moved;
  ASSERT_TRUE(
      env_.scheduling()
          .RescheduleAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), move, &moved)
          .ok());
  v1::ActionDescription description;
  EXPECT_EQ(ErrorReasonOf(Describe(stale, &description)), "APPOINTMENT_MOVED");
  v1::ActionResult result;
  grpc::Status s = Perform(stale, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReasonOf(s), "APPOINTMENT_MOVED");
  EXPECT_NE(Get(a.id()).confirmation().state(), v1::CONFIRMATION_STATE_CONFIRMED);
  // The new time's link works.
  ASSERT_TRUE(Perform(Token(v1::PATIENT_ACTION_CONFIRM, moved), &result).ok());
}

TEST_F(PatientActionTest, ACancelBeforeAnyRequestIsAPlainCancel) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::friday, 15, 0), "r-1");
  ASSERT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  v1::ActionResult result;
  ASSERT_TRUE(Perform(Token(v1::PATIENT_ACTION_CANCEL, a), &result).ok());
  const v1::Appointment cancelled = Get(a.id());
  EXPECT_EQ(cancelled.state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(cancelled.confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
}

TEST_F(PatientActionTest, TokensMintedWithTheWholeEnumNameStillWork) {
  const v1::Appointment a = Book(patient_, env_.NextLocal(absl::Weekday::monday, 9, 0), "r-1");
  v1::ActionResult result;
  ASSERT_TRUE(Perform(*codec_.Mint({.organization = "clinic-a",
                                    .action = "PATIENT_ACTION_CONFIRM",
                                    .subject_id = a.id(),
                                    .expire_time = FromTs(a.start_time())}),
                      &result)
                  .ok());
  EXPECT_EQ(Get(a.id()).confirmation().state(), v1::CONFIRMATION_STATE_CONFIRMED);
}

TEST_F(PatientActionTest, AnEmptyTokenNamesTheField) {
  v1::ActionResult result;
  grpc::Status s = Perform("", &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"action_token"});
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
