#include "tests/e2e/support/suite.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwt_minter.h"
#include "grpcpp/create_channel.h"

namespace dermaflow::e2e {
namespace {

// Debian's libfaketime (apt package libfaketime). The MT build is the one
// for multi-threaded programs such as gRPC servers.
std::string FindLibFaketime() {
  for (const char* path :
       {"/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
        "/usr/lib/faketime/libfaketimeMT.so.1", "/usr/local/lib/faketime/libfaketimeMT.so.1"}) {
    if (access(path, R_OK) == 0) return path;
  }
  throw std::runtime_error(
      "libfaketime is not installed (apt-get install libfaketime; scripts/install-deps.sh does "
      "it): the e2e suite needs it to move the services' clock");
}

std::string RandomHex(int bytes) {
  std::random_device device;
  std::string out;
  for (int i = 0; i < bytes; ++i)
    absl::StrAppend(&out, absl::Hex(device() & 0xFF, absl::kZeroPad2));
  return out;
}

std::string Tail(const std::string& text, size_t n = 3000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

}  // namespace

// --- SuiteClock ---------------------------------------------------------------

SuiteClock::SuiteClock(std::string offset_file, bool enabled)
    : offset_file_(std::move(offset_file)), enabled_(enabled) {
  if (enabled_) Write();
}

absl::Time SuiteClock::Now() const { return absl::Now() + offset_; }

void SuiteClock::AdvanceTo(absl::Time t) {
  if (!enabled_)
    throw std::logic_error("start the Suite with {.time_travel = true} to move its clock");
  absl::Duration needed = absl::Ceil(t - absl::Now(), absl::Seconds(1));
  if (needed <= offset_) return;
  offset_ = needed;
  Write();
  // The services re-read the file on every wall-clock read
  // (FAKETIME_NO_CACHE=1, about 6 us each; monotonic reads stay native).
}

void SuiteClock::Write() const {
  // Written beside and renamed, so a service never reads half a file.
  const std::string tmp = offset_file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "+" << absl::ToInt64Seconds(offset_) << "\n";
  }
  std::rename(tmp.c_str(), offset_file_.c_str());
}

// --- Suite ----------------------------------------------------------------------

const std::vector<std::string>& Suite::AllStaffRoles() {
  static const auto* roles =
      new std::vector<std::string>{"reception", "practitioner", "clinic_admin", "ops"};
  return *roles;
}

Suite::Suite(SuiteOptions options)
    : options_(options),
      key_file_(dir_.path() + "/jwt_hs256.key"),
      key_(RandomHex(32)),
      clock_(dir_.path() + "/faketime", options.time_travel) {
  if (options.production) production_ = std::make_unique<ProductionSetup>();
  {
    std::ofstream out(key_file_);
    out << key_ << "\n";
  }
  patient_ = Start("patient");
  protocol_ = Start("protocol");
  scheduling_ = Start("scheduling");
  StartNotification();
}

Suite::~Suite() = default;

std::unique_ptr<testing::ServiceProcess> Suite::Start(const std::string& name) {
  std::map<std::string, std::string> env = options_.service_env;
  const std::string redis_url = options_.redis_url.empty() ? redis_.url() : options_.redis_url;
  if (clock_.enabled()) {
    static const std::string kLibfaketime = FindLibFaketime();
    env.insert({{"LD_PRELOAD", kLibfaketime},
                {"FAKETIME_TIMESTAMP_FILE", clock_.offset_file()},
                {"FAKETIME_NO_CACHE", "1"},
                {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}});
  }
  // Through the environment, so a service that has no such flag ignores it.
  if (patient_) env["DERMAFLOW_PATIENT_ADDR"] = patient_->address();
  if (protocol_) env["DERMAFLOW_PROTOCOL_ADDR"] = protocol_->address();
  if (scheduling_) env["DERMAFLOW_SCHEDULING_ADDR"] = scheduling_->address();
  // Confirmation requests go out within a second, not production's 15 s.
  if (name == "scheduling") env["DERMAFLOW_CONFIRMATION_SWEEP_INTERVAL"] = "1s";
  if (name == "notification") {
    // A crashed process's claims and unacknowledged events are taken over
    // after 3 s rather than production's 10 s; retries come fast.
    env["DERMAFLOW_CLAIM_LEASE"] = "3s";
    env["DERMAFLOW_EVENT_MIN_IDLE"] = "3s";
    env["DERMAFLOW_RETRY_BASE"] = "1s";
  }
  if (production_) {
    return std::make_unique<testing::ServiceProcess>(
        name, redis_url, production_->ServiceArgs(name), env, production_->ClientCredentials());
  }
  return std::make_unique<testing::ServiceProcess>(
      name, redis_url, std::vector<std::string>{"--auth=jwt", "--jwt_hs256_key_file=" + key_file_},
      env);
}

std::shared_ptr<grpc::Channel> Suite::notification_channel() const {
  return grpc::CreateChannel(notification_->address(), production_
                                                           ? production_->ClientCredentials()
                                                           : grpc::InsecureChannelCredentials());
}

std::string Suite::MintToken(const std::vector<std::string>& roles, const std::string& organization,
                             const std::string& subject) const {
  if (production_) return production_->MintToken(roles, organization, subject);
  common::JwtClaims claims{.organization = organization,
                           .subject = subject,
                           .roles = roles,
                           .expires_at = absl::Now() + absl::Hours(24 * 365 * 3)};
  absl::StatusOr<std::string> token = common::MintJwt(claims, common::JwtAlgorithm::kHs256, key_);
  if (!token.ok()) throw std::runtime_error(std::string(token.status().message()));
  return *token;
}

void Suite::Authorize(grpc::ClientContext* ctx, const std::string& token) const {
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ctx->AddMetadata("authorization", "Bearer " + (token.empty() ? MintToken() : token));
}

void Suite::KillNotification() {
  notification_->process().Signal(SIGKILL);
  notification_->process().Wait();
  dead_notification_log_ += notification_->process().ReadLog();
  notification_.reset();
}

void Suite::StartNotification() { notification_ = Start("notification"); }

std::vector<std::pair<std::string, std::string>> Suite::ClientEnvironment() const {
  return {{"DERMAFLOW_PATIENT_ADDR", patient_->address()},
          {"DERMAFLOW_PROTOCOL_ADDR", protocol_->address()},
          {"DERMAFLOW_SCHEDULING_ADDR", scheduling_->address()},
          {"DERMAFLOW_NOTIFICATION_ADDR", notification_->address()},
          {"DERMAFLOW_TOKEN", MintToken()}};
}

std::string Suite::Logs() {
  std::string out;
  auto add = [&](const char* name, testing::ServiceProcess* p, const std::string& before = "") {
    absl::StrAppend(&out, "\n----- ", name, " log -----\n",
                    Tail(before + (p != nullptr ? p->process().ReadLog() : "")));
  };
  add("patient", patient_.get());
  add("protocol", protocol_.get());
  add("scheduling", scheduling_.get());
  add("notification", notification_.get(), dead_notification_log_);
  return out;
}

std::string Suite::SchedulingLog() const { return scheduling_->process().ReadLog(); }

}  // namespace dermaflow::e2e
