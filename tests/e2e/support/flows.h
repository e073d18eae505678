// Steps the e2e tests share, through the public API only: authorized calls,
// bounded polling, setting up a clinic organization, registering patients,
// collecting live deliveries, scanning Redis for personal data.
//
//   Stubs api(suite);
//   Organization org = SetUpOrganization(suite, api);
//   ASSERT_RPC_OK(api.Call([&](auto* c) { return api.patients->GetPatient(c, req, &p); }));
//   ASSERT_TRUE(WaitFor([&] { return DeliveredKinds(...).size() == 2; }, absl::Seconds(20)));
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/suite.h"

namespace dermaflow::e2e {

// "OK" or "NOT_FOUND: no such patient", for assertion messages.
std::string Describe(const grpc::Status& status);

#define ASSERT_RPC_OK(expr)                                             \
  do {                                                                  \
    const ::grpc::Status df_rpc_status_ = (expr);                       \
    ASSERT_TRUE(df_rpc_status_.ok())                                    \
        << #expr << ": " << ::dermaflow::e2e::Describe(df_rpc_status_); \
  } while (0)

// Stubs for the four services, calls with a token of all staff roles.
struct Stubs {
  explicit Stubs(Suite& suite);
  // Re-creates the notification stub (after a restart on a new port).
  void Reconnect();
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) const;

  Suite& suite;
  std::string token;
  std::unique_ptr<patient::v1::PatientService::Stub> patients;
  std::unique_ptr<protocol::v1::ProtocolService::Stub> protocols;
  std::unique_ptr<scheduling::v1::SchedulingService::Stub> scheduling;
  std::unique_ptr<notification::v1::NotificationService::Stub> notifications;
};

// Polls `done` every 100 ms until it is true or `timeout` passes.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout);

// A clinic in Berlin open every day 08:00-20:00, a physician qualified for
// every category working those hours, one room, and the seeded catalog.
struct Organization {
  std::string berlin_clinic;
  std::string practitioner;
  std::string room;
  std::string hydralift;           // catalog key mesotherapy_hydralift
  std::string collagen_induction;  // catalog key collagen_induction
};
void SetUpOrganization(Stubs& api, Organization* org);

// CreatePatient of `patient` with `request_id`; `out` gets the created one.
grpc::Status RegisterPatient(const Stubs& api, const std::string& request_id,
                             const patient::v1::Patient& patient, patient::v1::Patient* out);

// BookAppointment: one session of `protocol_id` for `patient_id` with the
// organization's practitioner at its Berlin clinic, starting `start`.
grpc::Status BookSession(const Stubs& api, const Organization& org, const std::string& request_id,
                         const std::string& patient_id, const std::string& protocol_id,
                         absl::Time start, scheduling::v1::Appointment* out);

// Calls `call` again while it answers UNAVAILABLE (a Redis fail-over under
// way), as a front end retries with the same request; up to 45 s. Other
// answers end it.
grpc::Status UntilNotUnavailable(const std::function<grpc::Status()>& call);

// Every appointment in `acknowledged` reads back (GetAppointment) with the
// patient, start and state it was acknowledged with.
void ExpectBookingsKept(const Stubs& api,
                        const std::vector<scheduling::v1::Appointment>& acknowledged);

// CreateWaitlistEntry: `patient_id` waits for `protocol_id` at the
// organization's clinic on any of the days `from` to `from` + 7.
grpc::Status AddToWaitlist(const Stubs& api, const Organization& org, const std::string& request_id,
                           const std::string& patient_id, const std::string& protocol_id,
                           absl::CivilDay from, scheduling::v1::WaitlistEntry* out);

// An adult with every medical fact answered "no", consent for in-app and
// e-mail, preferring in-app (delivered through WatchNotifications).
patient::v1::Patient NewPatient(const std::string& given, const std::string& family,
                                const std::string& locale, const std::string& email,
                                const std::string& phone);

// Deliveries to a patient, newest first (ListDeliveries; empty on error).
std::vector<notification::v1::Delivery> Deliveries(const Stubs& api, const std::string& patient_id);
// Reminders matching the filters (ListReminders, all pages).
std::vector<notification::v1::Reminder> Reminders(
    const Stubs& api, const notification::v1::ListRemindersRequest& filter);

// Collects WatchNotifications deliveries on a thread until destroyed.
class DeliveryWatcher {
 public:
  DeliveryWatcher(const Stubs& api, const std::string& patient_id);
  ~DeliveryWatcher();
  std::vector<notification::v1::Delivery> Received();

 private:
  grpc::ClientContext ctx_;
  std::mutex mu_;
  std::vector<notification::v1::Delivery> received_;
  std::thread reader_;
};

// Every key and value in Redis (all types), for personal-data scans.
std::string DumpRedis(Suite& suite);

}  // namespace dermaflow::e2e
