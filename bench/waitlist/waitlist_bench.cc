// Measures the waitlist's offer fan-out where a clinic chain feels it:
// `--slots` booked appointments are cancelled and each freed slot is offered
// (SlotOffers::OnSlotFreed, what the event intake runs) against
// `--entries` waitlist entries of the same clinic and protocol, 3 offers per
// slot, then one offer per slot is accepted (OfferAnswers::AcceptOffer, the
// booking script with the hold). Reported: time per freed slot and per offer
// made, and Redis's own CPU (INFO cpu: used_cpu_sys + used_cpu_user of the
// redis-server process, before/after each phase) per offer and per
// acceptance. A real redis-server on a free loopback port; the protocol and
// patient services are in-process stand-ins answering at once (a deployment
// adds one GetPatient and one ScreenEligibility round trip per candidate).
//
//   build/bin/waitlist_bench --slots=1000 --entries=10000
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/scheduling/bench_support.h"
#include "common/auth/no_auth_authenticator.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/app/waitlist/offer_answers.h"
#include "services/scheduling/app/waitlist/slot_offers.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/store/redis_appointment_store.h"
#include "services/scheduling/store/redis_resource_store.h"
#include "services/scheduling/store/redis_waitlist_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_server.h"

ABSL_FLAG(int, slots, 1000, "appointments booked, cancelled and offered to the waitlist");
ABSL_FLAG(int, entries, 10000, "waitlist entries (same clinic and protocol)");
ABSL_FLAG(int, offers_per_slot, 3, "offers made per freed slot");
ABSL_FLAG(int, scan_batch, 200, "waitlist entries read per step while matching");
ABSL_FLAG(absl::Duration, max_time, absl::Minutes(5), "stop the offer phase after this long");

namespace dermaflow::scheduling {
namespace {

using namespace bench;  // NOLINT(google-build-using-namespace)

constexpr int kPractitioners = 10;
constexpr int kRooms = 10;

// Seconds of CPU the redis-server process has used (INFO cpu).
double RedisCpuSeconds(common::RedisClient& redis) {
  absl::StatusOr<common::RedisReply> info = redis.Command({"INFO", "cpu"});
  double total = 0;
  if (!info.ok()) return total;
  for (absl::string_view line : absl::StrSplit(info->str(), '\n')) {
    for (absl::string_view key : {"used_cpu_sys:", "used_cpu_user:"}) {
      if (absl::ConsumePrefix(&line, key)) {
        double v = 0;
        if (absl::SimpleAtod(absl::StripAsciiWhitespace(line), &v)) total += v;
      }
    }
  }
  return total;
}

int Run() {
  dermaflow::testing::RedisServer redis_server;
  auto options = common::ParseRedisUrl(redis_server.url());
  options->pool_size = 8;
  common::RedisClient redis(*options);

  common::NoAuthAuthenticator auth("bench");
  RedisResourceStore resources(redis);
  RedisAppointmentStore appointments(redis, common::SystemClock());
  RedisWaitlistStore waitlist_store(redis, common::SystemClock());
  common::InMemoryProtocolClient protocols;
  PutHydralift(protocols);
  InstantPatients patients;
  prometheus::Registry registry;
  WaitlistMetrics metrics(registry);
  const SchedulingDeps deps{resources, appointments, protocols, patients, common::SystemClock()};
  WaitlistSettings settings;
  settings.offers_per_slot = absl::GetFlag(FLAGS_offers_per_slot);
  settings.default_quiet_hours = {0, 0};  // the bench may run at night
  settings.scan_batch = absl::GetFlag(FLAGS_scan_batch);
  const WaitlistDeps waitlist{deps, waitlist_store, metrics, settings};
  SchedulingGrpcService service(auth, deps, nullptr, &waitlist);
  dermaflow::testing::TestServer server({&service});
  auto stub = v1::SchedulingService::NewStub(server.channel());

  const BenchClinic bench_clinic = SetUpBenchClinic(*stub, kPractitioners, kRooms);
  const v1::Clinic& clinic = bench_clinic.clinic;
  const std::vector<std::string>& practitioner_ids = bench_clinic.practitioner_ids;

  // Bookings on distinct slots: every 45 min from tomorrow 08:00 (Sundays
  // skipped), one per practitioner at a time.
  absl::TimeZone tz;
  absl::LoadTimeZone("Europe/Berlin", &tz);
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), tz) + 1;
  const int slots = absl::GetFlag(FLAGS_slots);
  std::vector<absl::Time> starts;
  for (absl::CivilDay day = tomorrow; starts.size() * kPractitioners < static_cast<size_t>(slots);
       ++day) {
    if (absl::GetWeekday(day) == absl::Weekday::sunday) continue;
    for (int m = 8 * 60; m + 40 <= 20 * 60; m += 45) {
      starts.push_back(absl::FromCivil(absl::CivilSecond(day) + m * 60, tz));
    }
  }
  const absl::CivilDay last_day = absl::ToCivilDay(starts.back(), tz);
  std::vector<v1::Appointment> booked(slots);
  for (int i = 0; i < slots; ++i) {
    v1::BookAppointmentRequest req;
    req.set_patient_id(absl::StrCat("pa_booked_", i));
    req.set_protocol_id("pt_hydralift");
    req.set_clinic_id(clinic.id());
    req.set_practitioner_id(practitioner_ids[i % kPractitioners]);
    req.mutable_start_time()->set_seconds(absl::ToUnixSeconds(starts[i / kPractitioners]));
    req.set_request_id(absl::StrCat("book-", i));
    Require(stub->BookAppointment(Ctx().get(), req, &booked[i]), "BookAppointment");
  }

  // Entries: 30 % name a practitioner; wanted dates a random stretch of the
  // booked days; half want mornings (08-13) or afternoons (12-20) only.
  std::mt19937 rng(42);
  const int span = static_cast<int>(last_day - tomorrow) + 1;
  const int entries = absl::GetFlag(FLAGS_entries);
  const absl::Time entries_start = absl::Now();
  for (int j = 0; j < entries; ++j) {
    v1::CreateWaitlistEntryRequest req;
    req.set_request_id(absl::StrCat("entry-", j));
    v1::WaitlistEntry* e = req.mutable_entry();
    e->set_patient_id(absl::StrCat("pa_w_", j));
    e->set_protocol_id("pt_hydralift");
    e->set_clinic_id(clinic.id());
    if (rng() % 10 < 3) e->set_practitioner_id(practitioner_ids[rng() % kPractitioners]);
    const absl::CivilDay first = tomorrow + static_cast<int>(rng() % span);
    *e->mutable_earliest_date() = ToDate(first);
    *e->mutable_latest_date() = ToDate(first + 3 + static_cast<int>(rng() % 10));
    if (rng() % 2 == 0) {
      auto* w = e->add_time_windows();
      const bool morning = rng() % 2 == 0;
      *w->mutable_start() = Tod(morning ? 8 : 12);
      *w->mutable_end() = Tod(morning ? 13 : 20);
    }
    v1::WaitlistEntry created;
    Require(stub->CreateWaitlistEntry(Ctx().get(), req, &created), "CreateWaitlistEntry");
  }
  const absl::Duration entries_took = absl::Now() - entries_start;

  // Cancel every booking (the events are not consumed: the offers are made
  // below, one timed call per freed slot, as the intake would).
  for (v1::Appointment& a : booked) {
    v1::CancelAppointmentRequest req;
    req.set_id(a.id());
    req.set_etag(a.etag());
    req.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
    Require(stub->CancelAppointment(Ctx().get(), req, &a), "CancelAppointment");
  }

  SlotOffers offers(waitlist);
  const absl::Duration max_time = absl::GetFlag(FLAGS_max_time);
  std::vector<absl::Duration> per_slot;
  const double cpu_before = RedisCpuSeconds(redis);
  const double sent_before = metrics.sent.Value();
  const absl::Time offers_start = absl::Now();
  for (const v1::Appointment& a : booked) {
    if (absl::Now() - offers_start > max_time) break;
    events::v1::AppointmentInfo info;
    info.set_appointment_id(a.id());
    info.set_clinic_id(a.clinic_id());
    info.set_practitioner_id(a.practitioner_id());
    info.set_protocol_id(a.protocol_id());
    *info.mutable_start_time() = a.start_time();
    *info.mutable_end_time() = a.end_time();
    const absl::Time t0 = absl::Now();
    Require(offers.OnSlotFreed("bench", info, ToTime(a.start_time())), "OnSlotFreed");
    per_slot.push_back(absl::Now() - t0);
  }
  const absl::Duration offers_took = absl::Now() - offers_start;
  const double offers_cpu = RedisCpuSeconds(redis) - cpu_before;
  const double made = metrics.sent.Value() - sent_before;

  // One acceptance per held slot: the slot's first offer.
  OfferAnswers answers(waitlist);
  const common::Caller reception{.organization = "bench", .subject = "bench-reception"};
  std::vector<absl::Duration> per_accept;
  const double accept_cpu_before = RedisCpuSeconds(redis);
  for (size_t i = 0; i < per_slot.size(); ++i) {
    absl::StatusOr<std::optional<SlotRecord>> slot =
        waitlist_store.GetSlot("bench", SlotIdFor(booked[i].id(), ToTime(booked[i].start_time())));
    if (!slot.ok() || !*slot || (*slot)->offer_ids.empty() || (*slot)->state != SlotState::kHeld) {
      continue;
    }
    const absl::Time t0 = absl::Now();
    Require(answers.AcceptOffer(CallContext{reception}, (*slot)->offer_ids[0]).status(),
            "AcceptOffer");
    per_accept.push_back(absl::Now() - t0);
  }
  const double accept_cpu = RedisCpuSeconds(redis) - accept_cpu_before;

  std::printf("setup: %d entries created in %.1f s (%.0f us each, gRPC + screening stand-in)\n",
              entries, absl::ToDoubleSeconds(entries_took),
              absl::ToDoubleMicroseconds(entries_took) / entries);
  std::printf("freed slots offered: %zu of %d in %.2f s; offers made: %.0f (%.2f per slot)\n",
              per_slot.size(), slots, absl::ToDoubleSeconds(offers_took), made,
              made / std::max<size_t>(1, per_slot.size()));
  Print("OnSlotFreed (record + round of offers)", per_slot.size(), Summarize(per_slot));
  std::printf("time per offer made: %.1f us; Redis CPU per offer: %.1f us (%.3f s in all)\n",
              absl::ToDoubleMicroseconds(offers_took) / std::max(1.0, made),
              offers_cpu * 1e6 / std::max(1.0, made), offers_cpu);
  if (!per_accept.empty()) {
    Print("AcceptOffer (booking script + hold)", per_accept.size(), Summarize(per_accept));
    std::printf("Redis CPU per acceptance: %.1f us\n", accept_cpu * 1e6 / per_accept.size());
  }
  return 0;
}

}  // namespace
}  // namespace dermaflow::scheduling

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return dermaflow::scheduling::Run();
}
