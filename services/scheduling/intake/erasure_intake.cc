#include "services/scheduling/intake/erasure_intake.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::scheduling {
namespace {

prometheus::Family<prometheus::Counter>& Erasures(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("dermaflow_scheduling_erasures_total")
      .Help("patient.erased events handled by scheduling (calendar freed), by outcome")
      .Register(registry);
}

}  // namespace

ErasureIntake::ErasureIntake(common::RedisClient& redis, PatientErasure& erasure,
                             prometheus::Registry& registry, common::EventConsumerOptions options)
    : consumer_(redis, std::move(options)),
      erasure_(erasure),
      freed_(Erasures(registry).Add({{"outcome", "freed"}})),
      failed_(Erasures(registry).Add({{"outcome", "failed"}})) {}

ErasureIntake::~ErasureIntake() { Stop(); }

void ErasureIntake::Start() {
  if (started_.exchange(true)) return;
  thread_ = std::thread([this] {
    while (!stopping_) {
      absl::Status polled = PollOnce();
      if (polled.ok()) continue;
      if (std::optional<int64_t> suppressed = poll_failures_.ShouldLog(absl::Now())) {
        common::LogError(
            "scheduling cannot read the event streams; erased patients' "
            "calendars are freed once it can",
            {{"error", std::string(polled.message())}, {"suppressed", absl::StrCat(*suppressed)}});
      }
      absl::SleepFor(absl::Seconds(1));
    }
  });
}

void ErasureIntake::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status ErasureIntake::PollOnce() {
  DF_ASSIGN_OR_RETURN(std::vector<common::ConsumedEvent> batch, consumer_.Poll());
  for (const common::ConsumedEvent& event : batch) {
    if (Handle(event).ok()) DF_RETURN_IF_ERROR(consumer_.Ack(event));
  }
  return absl::OkStatus();
}

absl::Status ErasureIntake::Handle(const common::ConsumedEvent& event) {
  if (!event.event.has_patient_erased()) return absl::OkStatus();
  const std::string& org = event.event.organization();
  absl::StatusOr<FreedCalendar> freed =
      erasure_.FreeCalendar(org, event.event.patient_erased().patient_id());
  if (!freed.ok()) {
    failed_.Increment();
    // The organization names the tenant for ops; no patient id in logs.
    if (std::optional<int64_t> suppressed = erasure_failures_.ShouldLog(absl::Now())) {
      common::LogError("cannot free an erased patient's calendar; the event is retried",
                       {{"organization", org},
                        {"error", std::string(freed.status().message())},
                        {"suppressed", absl::StrCat(*suppressed)}});
    }
    return freed.status();
  }
  freed_.Increment();
  common::LogInfo("freed an erased patient's calendar",
                  {{"organization", org},
                   {"courses_cancelled", absl::StrCat(freed->courses)},
                   {"appointments_cancelled", absl::StrCat(freed->appointments)}});
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
