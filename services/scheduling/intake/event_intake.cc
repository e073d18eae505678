#include "services/scheduling/intake/event_intake.h"

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

EventIntake::EventIntake(common::RedisClient& redis, PatientErasure& erasure,
                         prometheus::Registry& registry, common::EventConsumerOptions options,
                         SlotOffers* offers, WaitlistMetrics* waitlist_metrics)
    : consumer_(redis, std::move(options)),
      erasure_(erasure),
      freed_(Erasures(registry).Add({{"outcome", "freed"}})),
      failed_(Erasures(registry).Add({{"outcome", "failed"}})),
      offers_(offers),
      waitlist_metrics_(waitlist_metrics) {}

EventIntake::~EventIntake() { Stop(); }

void EventIntake::Start() {
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

void EventIntake::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status EventIntake::PollOnce() {
  DF_ASSIGN_OR_RETURN(std::vector<common::ConsumedEvent> batch, consumer_.Poll());
  for (const common::ConsumedEvent& event : batch) {
    if (Handle(event).ok()) DF_RETURN_IF_ERROR(consumer_.Ack(event));
  }
  return absl::OkStatus();
}

absl::Status EventIntake::Handle(const common::ConsumedEvent& event) {
  const events::v1::Event& e = event.event;
  if (e.has_patient_erased()) return HandleErasure(event);
  if (offers_ == nullptr) return absl::OkStatus();
  if (e.has_appointment_cancelled()) {
    const events::v1::AppointmentInfo& a = e.appointment_cancelled().appointment();
    return HandleFreedSlot(e.organization(), a, a.start_time());
  }
  if (e.has_appointment_rescheduled()) {
    const events::v1::AppointmentRescheduled& moved = e.appointment_rescheduled();
    return HandleFreedSlot(e.organization(), moved.appointment(), moved.previous_start_time());
  }
  return absl::OkStatus();
}

absl::Status EventIntake::HandleFreedSlot(const std::string& org,
                                          const events::v1::AppointmentInfo& freed,
                                          const google::protobuf::Timestamp& start) {
  absl::Status offered = offers_->OnSlotFreed(org, freed, absl::FromUnixSeconds(start.seconds()));
  if (offered.ok()) return offered;
  waitlist_metrics_->intake_failures.Increment();
  if (std::optional<int64_t> suppressed = offer_failures_.ShouldLog(absl::Now())) {
    common::LogError("cannot offer a freed slot to the waitlist; the event is retried",
                     {{"organization", org},
                      {"error", std::string(offered.message())},
                      {"suppressed", absl::StrCat(*suppressed)}});
  }
  return offered;
}

absl::Status EventIntake::HandleErasure(const common::ConsumedEvent& event) {
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
