// The whole dermaflow suite for an end-to-end test: a real redis-server and
// the four service binaries as separate processes on free loopback ports,
// with JWT auth on (an HS256 key in a temp dir; tokens minted here).
//
// Time travel (SuiteOptions::time_travel): the services run under
// libfaketime, reading their clock offset from a file this class writes, so
// a test can move the suite a week ahead to the next session of a course (or
// six months, to maintenance) while the test itself takes seconds. Only the
// services' wall clock moves; monotonic time (gRPC deadlines, sleeps) and
// Redis stay real.
//
//   Suite suite({.time_travel = true});
//   auto patients = PatientService::NewStub(suite.patient_channel());
//   grpc::ClientContext ctx; suite.Authorize(&ctx);   // all staff roles, org "e2e-clinics"
//   suite.clock().AdvanceTo(session_start + absl::Minutes(1));
//   suite.KillNotification(); suite.StartNotification();
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tests/e2e/support/production_setup.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::e2e {

// The services' wall clock: real time plus an offset that only grows.
class SuiteClock {
 public:
  // Without `enabled` the services keep the real clock and AdvanceTo throws.
  SuiteClock(std::string offset_file, bool enabled);
  // What the services see as now.
  absl::Time Now() const;
  // Moves the services' clock so that Now() is at least `t`; returns once
  // every service has picked the new offset up.
  void AdvanceTo(absl::Time t);
  void Advance(absl::Duration d) { AdvanceTo(Now() + d); }
  const std::string& offset_file() const { return offset_file_; }
  bool enabled() const { return enabled_; }

 private:
  void Write() const;

  std::string offset_file_;
  bool enabled_;
  absl::Duration offset_ = absl::ZeroDuration();
};

struct SuiteOptions {
  bool time_travel = false;  // needs libfaketime (apt package libfaketime)
  // The deployed configuration (production_setup.h) instead of HS256 and
  // plaintext: mTLS, IdP tokens from a JWKS, service identity, SMTP, SMS.
  bool production = false;
  // Where the services keep their state instead of the suite's own
  // redis-server (e.g. a Sentinel setup's redis+sentinel:// URL), and
  // environment added to every service (e.g. DERMAFLOW_REDIS_DURABLE_REPLICAS).
  std::string redis_url;
  std::map<std::string, std::string> service_env;
};

class Suite {
 public:
  static constexpr char kOrganization[] = "e2e-clinics";
  static const std::vector<std::string>& AllStaffRoles();

  // Starts everything; throws with the service log when one fails.
  explicit Suite(SuiteOptions options = {});
  ~Suite();

  std::shared_ptr<grpc::Channel> patient_channel() const { return patient_->channel(); }
  std::shared_ptr<grpc::Channel> protocol_channel() const { return protocol_->channel(); }
  std::shared_ptr<grpc::Channel> scheduling_channel() const { return scheduling_->channel(); }
  // A fresh channel: the notification process changes its port on restart.
  std::shared_ptr<grpc::Channel> notification_channel() const;

  testing::ServiceProcess& patient() { return *patient_; }
  testing::ServiceProcess& protocol() { return *protocol_; }
  testing::ServiceProcess& scheduling() { return *scheduling_; }
  testing::ServiceProcess& notification() { return *notification_; }
  testing::RedisServer& redis() { return redis_; }
  SuiteClock& clock() { return clock_; }
  const std::string& key_file() const { return key_file_; }
  // The production configuration; nullptr unless SuiteOptions::production.
  ProductionSetup* production() { return production_.get(); }

  // A token the services accept (valid for years of suite time).
  std::string MintToken(const std::vector<std::string>& roles = AllStaffRoles(),
                        const std::string& organization = kOrganization,
                        const std::string& subject = "e2e-staff") const;
  // Bearer token and a 10 s deadline on `ctx`.
  void Authorize(grpc::ClientContext* ctx, const std::string& token = "") const;

  // kill -9, as a crash would; StartNotification brings up a new process
  // on the same Redis (and a new port).
  void KillNotification();
  void StartNotification();

  // Environment that points a client (dermactl, node) at this suite.
  std::vector<std::pair<std::string, std::string>> ClientEnvironment() const;
  // The tail of every service log, for failure messages.
  std::string Logs();
  // scheduling's whole log so far.
  std::string SchedulingLog() const;

 private:
  std::unique_ptr<testing::ServiceProcess> Start(const std::string& name);

  testing::TempDir dir_;
  SuiteOptions options_;
  std::unique_ptr<ProductionSetup> production_;
  std::string key_file_;
  std::string key_;
  SuiteClock clock_;
  testing::RedisServer redis_;
  std::unique_ptr<testing::ServiceProcess> patient_;
  std::unique_ptr<testing::ServiceProcess> protocol_;
  std::unique_ptr<testing::ServiceProcess> scheduling_;
  std::unique_ptr<testing::ServiceProcess> notification_;
  std::string dead_notification_log_;  // kept across a kill for Logs()
};

}  // namespace dermaflow::e2e
