#include "bench/notification/bench_events.h"

#include <stdexcept>

#include "absl/strings/str_format.h"
#include "common/clock/clock.h"
#include "common/events/event_stream.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::bench {
namespace {

std::string Hex(uint64_t v, int width) { return absl::StrFormat("%0*x", width, v); }

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) throw std::runtime_error(std::string(what) + ": " + status.ToString());
}

}  // namespace

std::string PatientId(int i) {
  return Hex(0x9e3779b97f4a7c15ull * (i + 1), 16) + Hex(static_cast<uint64_t>(i), 16);
}

std::string SchedulingId(const char* prefix, int i) {
  return std::string(prefix) + "_" + Hex(0xc2b2ae3d27d4eb4full * (i + 7), 16).substr(0, 12) +
         Hex(static_cast<uint64_t>(i), 8);
}

events::v1::Event BookedSoon(int i, int patients, absl::Time now) {
  events::v1::Event e;
  e.set_id("evt-b-" + std::to_string(i));
  *e.mutable_occur_time() = notification::ToTimestamp(now);
  auto* a = e.mutable_appointment_booked()->mutable_appointment();
  a->set_appointment_id(SchedulingId("ap", i));
  a->set_patient_id(PatientId(i % patients));
  a->set_protocol_id(kHydralift);
  a->set_protocol_version(1);
  a->set_clinic_id("cl_0123456789abcdef0123");
  a->set_clinic_display_name("Dermaflow Berlin Mitte");
  a->set_clinic_time_zone("Europe/Berlin");
  *a->mutable_start_time() = notification::ToTimestamp(now + absl::Hours(2));
  a->add_areas(protocol::v1::TREATMENT_AREA_FACE);
  *a->mutable_update_time() = notification::ToTimestamp(now);
  return e;
}

events::v1::Event CourseDone(int i, absl::Time now) {
  events::v1::Event e;
  e.set_id("evt-c-" + std::to_string(i));
  *e.mutable_occur_time() = notification::ToTimestamp(now);
  auto* c = e.mutable_course_completed();
  c->set_course_id(SchedulingId("co", i));
  c->set_patient_id(PatientId(1'000'000 + i));
  c->set_protocol_id(kHydralift);
  c->set_protocol_version(1);
  c->set_clinic_id("cl_0123456789abcdef0123");
  c->set_clinic_display_name("Dermaflow Berlin Mitte");
  c->set_clinic_time_zone("Europe/Berlin");
  c->mutable_maintenance_due_date()->set_year(2027);
  c->mutable_maintenance_due_date()->set_month(1 + i % 12);
  c->mutable_maintenance_due_date()->set_day(1 + i % 28);
  return e;
}

void Publish(common::RedisClient& redis, int first, int count,
             const std::function<events::v1::Event(int)>& make) {
  const std::string stream = *common::StreamKey(kOrg);
  Check(redis.Command({"SADD", common::OrganizationsKey(), kOrg}).status(), "SADD orgs");
  std::vector<std::vector<std::string>> commands;
  auto flush = [&] {
    absl::StatusOr<std::vector<common::RedisReply>> replies = redis.Pipeline(commands);
    Check(replies.status(), "XADD pipeline");
    for (const common::RedisReply& r : *replies) Check(r.ToStatus(), "XADD");
    commands.clear();
  };
  for (int i = first; i < first + count; ++i) {
    events::v1::Event e = make(i);
    e.set_organization(kOrg);
    absl::StatusOr<std::string> sealed = common::SealEvent(e, common::SystemClock());
    Check(sealed.status(), "SealEvent");
    commands.push_back({"XADD", stream, "*", "e", *std::move(sealed)});
    if (commands.size() == 1000) flush();
  }
  if (!commands.empty()) flush();
}

}  // namespace dermaflow::bench
