// Measures scheduling where a clinic feels it, in one run against its own
// baselines:
//   - Redis PING round trip (the floor of any Redis-backed call),
//   - GetClinic over loopback gRPC (gRPC + one Redis read),
//   - BookAppointment over loopback gRPC (validation, rules, the booking Lua
//     script with its conflict checks, indexes and event XADD),
//   - FindAvailableSlots for 20 practitioners over 30 days (one page of 500
//     over gRPC, and the full enumeration of every free slot in-process).
// A real redis-server is started on a free loopback port. The protocol and
// patient services are replaced by in-process stand-ins answering at once,
// so the numbers are scheduling's own (a real deployment adds one
// ScreenEligibility round trip per booking).
//
//   build-scheduling/bin/scheduling_bench --bookings=2000 --find_runs=20
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
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
#include "grpcpp/create_channel.h"
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/store/redis_appointment_store.h"
#include "services/scheduling/store/redis_resource_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_server.h"

ABSL_FLAG(int, pings, 5000, "Redis PINGs for the baseline");
ABSL_FLAG(int, bookings, 2000, "BookAppointment calls (each a distinct free slot)");
ABSL_FLAG(int, find_runs, 20, "FindAvailableSlots runs (the median is reported)");

namespace dermaflow::scheduling {
namespace {

using namespace bench;  // NOLINT(google-build-using-namespace)

constexpr int kPractitioners = 20;
constexpr int kRooms = 10;
constexpr int kDays = 30;

std::vector<absl::Duration> Time(int n, const std::function<void(int)>& fn) {
  std::vector<absl::Duration> samples;
  samples.reserve(n);
  for (int i = 0; i < n; ++i) {
    const absl::Time start = absl::Now();
    fn(i);
    samples.push_back(absl::Now() - start);
  }
  return samples;
}

int Run() {
  dermaflow::testing::RedisServer redis_server;
  auto options = common::ParseRedisUrl(redis_server.url());
  options->pool_size = 8;
  common::RedisClient redis(*options);

  const int pings = absl::GetFlag(FLAGS_pings);
  Time(200, [&](int) { (void)redis.Ping(); });  // warm the pool
  Print("Redis PING (baseline)", pings, Summarize(Time(pings, [&](int) { (void)redis.Ping(); })));

  common::NoAuthAuthenticator auth("bench");
  RedisResourceStore resources(redis);
  RedisAppointmentStore appointments(redis, common::SystemClock());
  common::InMemoryProtocolClient protocols;
  PutHydralift(protocols);
  InstantPatients patients;
  SchedulingGrpcService service(
      auth, {resources, appointments, protocols, patients, common::SystemClock()}, nullptr);
  dermaflow::testing::TestServer server({&service});
  auto stub = v1::SchedulingService::NewStub(server.channel());

  const BenchClinic bench_clinic = SetUpBenchClinic(*stub, kPractitioners, kRooms);
  const v1::Clinic& clinic = bench_clinic.clinic;
  const std::vector<std::string>& practitioner_ids = bench_clinic.practitioner_ids;

  v1::GetClinicRequest get;
  get.set_id(clinic.id());
  Print("GetClinic over gRPC (gRPC + 1 Redis read)", pings, Summarize(Time(pings, [&](int) {
          v1::Clinic out;
          Require(stub->GetClinic(Ctx().get(), get, &out), "GetClinic");
        })));

  // Bookings on distinct free slots: every 45 minutes from tomorrow 08:00 on
  // (Sundays skipped), 10 sessions at a time (one per room), practitioners
  // taking turns (practitioner i % 20).
  absl::TimeZone tz;
  absl::LoadTimeZone("Europe/Berlin", &tz);
  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), tz) + 1;
  std::vector<absl::Time> starts;
  for (absl::CivilDay day = tomorrow; starts.size() < 2000000; ++day) {
    if (absl::GetWeekday(day) == absl::Weekday::sunday) continue;
    for (int m = 8 * 60; m + 40 <= 20 * 60; m += 45) {
      starts.push_back(absl::FromCivil(absl::CivilSecond(day) + m * 60, tz));
    }
    if (starts.size() * kRooms >= static_cast<size_t>(absl::GetFlag(FLAGS_bookings))) break;
  }
  const int bookings = absl::GetFlag(FLAGS_bookings);
  Print("BookAppointment over gRPC", bookings, Summarize(Time(bookings, [&](int i) {
          v1::BookAppointmentRequest req;
          req.set_patient_id(absl::StrCat("pa_", i));
          req.set_protocol_id("pt_hydralift");
          req.set_clinic_id(clinic.id());
          req.set_practitioner_id(practitioner_ids[i % kPractitioners]);
          const absl::Time start = starts[i / kRooms];
          req.mutable_start_time()->set_seconds(absl::ToUnixSeconds(start));
          req.set_request_id(absl::StrCat("book-", i));
          v1::Appointment a;
          Require(stub->BookAppointment(Ctx().get(), req, &a), "BookAppointment");
        })));

  // FindAvailableSlots: 20 practitioners x 10 rooms over the next 30 days,
  // with the bookings above in the calendars.
  const absl::Time from = absl::FromCivil(tomorrow, tz);
  const absl::Time to = from + absl::Hours(24 * kDays);
  v1::FindAvailableSlotsRequest find;
  find.set_clinic_id(clinic.id());
  find.set_protocol_id("pt_hydralift");
  find.mutable_time_range()->mutable_start_time()->set_seconds(absl::ToUnixSeconds(from));
  find.mutable_time_range()->mutable_end_time()->set_seconds(absl::ToUnixSeconds(to));
  find.set_page_size(500);
  const int runs = absl::GetFlag(FLAGS_find_runs);
  Print("FindAvailableSlots over gRPC (page of 500)", runs, Summarize(Time(runs, [&](int) {
          v1::FindAvailableSlotsResponse page;
          Require(stub->FindAvailableSlots(Ctx().get(), find, &page), "FindAvailableSlots");
        })));

  // The whole 30-day search space in-process: every free
  // (start, practitioner, room) combination, as all pages together would be.
  auto all_practitioners = resources.ListPractitioners("bench");
  std::vector<std::pair<CalendarOwner, std::string>> owners;
  for (const auto& p : *all_practitioners) owners.push_back({CalendarOwner::kPractitioner, p.id()});
  auto rooms = resources.ListRooms("bench");
  for (const auto& r : *rooms) owners.push_back({CalendarOwner::kRoom, r.id()});
  // Calendars read once per run, as the RPC does.
  auto search_for = [&]() {
    auto busy = appointments.BusyIntervals("bench", owners, {from, to + absl::Hours(1)});
    SlotSearch search;
    search.time_zone = tz;
    search.opening_hours = OpeningHoursOf(clinic);
    search.session_duration = absl::Minutes(30);
    search.buffer = BufferOf(clinic);
    search.slot_interval = SlotIntervalOf(clinic);
    search.window = {from, to};
    size_t next = 0;
    for (const auto& p : *all_practitioners) {
      search.practitioners.push_back(
          {p.id(), WorkingHoursAt(p, clinic.id()), TimeOffOf(p), Calendar((*busy)[next++])});
    }
    for (const auto& r : *rooms) search.rooms.push_back({r.id(), Calendar((*busy)[next++])});
    return search;
  };
  Print("  of which: read 30 calendars from Redis", runs,
        Summarize(Time(runs, [&](int) { search_for(); })));
  const SlotSearch search = search_for();
  Print("  of which: FindSlots, first 501 (in-process)", runs,
        Summarize(Time(runs, [&](int) { FindSlots(search, nullptr, 501); })));
  size_t found = 0;
  auto full = Time(runs, [&](int) { found = FindSlots(search_for(), nullptr, SIZE_MAX).size(); });
  Print(absl::StrCat("All ", found, " free slots: read + FindSlots (in-process)").c_str(), runs,
        Summarize(full));
  return 0;
}

}  // namespace
}  // namespace dermaflow::scheduling

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return dermaflow::scheduling::Run();
}
