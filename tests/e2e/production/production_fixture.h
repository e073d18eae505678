// The fixture of the production-configuration e2e tests: the four real
// processes in the configuration a clinic chain deploys (production_setup.h:
// mTLS, RS256/ES256 tokens from a JWKS over HTTPS, service identity, SMTP
// with STARTTLS, a Twilio-shaped SMS provider), on the Redis the test
// parameter names (redis_backend.h), with the organization set up and the
// steps the tests share. The tests (TEST_P) are written once; each binary
// instantiates them for its backends:
//
//   INSTANTIATE_TEST_SUITE_P(Redis, ProductionConfigTest,
//                            ::testing::Values(RedisBackendKind::kSentinel), RedisBackendName);
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"
#include "tests/e2e/support/redis_backend.h"

namespace dermaflow::e2e {

// The German patient's contact details of the production tests.
inline constexpr char kProductionEmail[] = "liesel.brandt@example.org";
inline constexpr char kProductionSmsPhone[] = "+4915112345678";

// A German patient reached only through `channel`, at `email` and
// kProductionSmsPhone.
patient::v1::Patient GermanPatient(const std::string& given, patient::v1::Channel channel,
                                   const std::string& email = kProductionEmail);

// Ids of the reminders of `appointment_id` that `api`'s organization sees
// (of `kind`, unless UNSPECIFIED).
std::set<std::string> ReminderIds(
    const Stubs& api, const std::string& appointment_id,
    notification::v1::ReminderKind kind = notification::v1::REMINDER_KIND_UNSPECIFIED);
// The e-mails the SMTP server received for the reminders in `ids`.
std::vector<testing::ReceivedMail> MailsFor(ProductionSetup& prod,
                                            const std::set<std::string>& ids);

class ProductionConfigTest : public ::testing::TestWithParam<RedisBackendKind> {
 protected:
  ProductionConfigTest();
  void SetUp() override;
  void TearDown() override;

  ProductionSetup& prod() { return *suite_.production(); }

  // CreatePatient with `api`'s token; the created patient (empty on failure,
  // which is recorded).
  patient::v1::Patient Register(const Stubs& api, const std::string& request_id,
                                const patient::v1::Patient& patient);
  patient::v1::Patient Register(const std::string& request_id,
                                const patient::v1::Patient& patient) {
    return Register(api_, request_id, patient);
  }
  // A hydralift course (3 sessions) for the face, the first on first_day_
  // at `hour` (Berlin time).
  scheduling::v1::Course BookHydralift(const std::string& request_id,
                                       const patient::v1::Patient& patient, int hour);
  // Check-in, then completion with bruising (which asks for aftercare advice).
  void CompleteWithBruising(const scheduling::v1::Appointment& session);

  // The e-mails for the reminders in `ids`.
  std::vector<testing::ReceivedMail> MailsFor(const std::set<std::string>& ids) {
    return e2e::MailsFor(prod(), ids);
  }
  // A Twilio request names its reminder only through its idempotency key,
  // which `organization`'s name is part of.
  std::vector<testing::ProviderRequest> SmsFor(
      const std::set<std::string>& ids, const std::string& organization = Suite::kOrganization);

  // Moves the services' clock to `t` once notification has no due reminder
  // in hand (none due and scheduled, in flight or retrying): a call it signs
  // before a jump reaches the other service after it, with an expired
  // service token, and is refused.
  void AdvanceClockWhenSettled(absl::Time t);

  // GetClinic of org_'s clinic with `token`.
  grpc::Status GetClinicWith(const std::string& token);

  RedisBackend redis_;
  Suite suite_;
  Stubs api_{suite_};
  Organization org_;
  absl::TimeZone berlin_;
  absl::CivilDay first_day_;
};

}  // namespace dermaflow::e2e
