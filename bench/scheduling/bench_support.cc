#include "bench/scheduling/bench_support.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace dermaflow::scheduling::bench {

absl::StatusOr<patient::v1::Patient> InstantPatients::GetPatient(const common::CallOrigin&,
                                                                 const std::string& id,
                                                                 patient::v1::PatientView) {
  patient::v1::Patient p;
  p.set_id(id);
  return p;
}

void PutHydralift(common::InMemoryProtocolClient& protocols) {
  protocol::v1::Protocol p;
  p.set_version(1);
  p.set_category(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  p.add_areas(protocol::v1::TREATMENT_AREA_FACE);
  p.mutable_session_duration()->set_seconds(30 * 60);
  p.mutable_course_plan()->set_session_count(3);
  p.mutable_course_plan()->mutable_interval()->set_seconds(7 * 86400);
  protocols.Put("pt_hydralift", p);
}

void Require(const grpc::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.error_message().c_str());
    std::exit(1);
  }
}

void Require(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

google::type::TimeOfDay Tod(int hour) {
  google::type::TimeOfDay t;
  t.set_hours(hour);
  return t;
}

BenchClinic SetUpBenchClinic(v1::SchedulingService::Stub& stub, int practitioners, int rooms) {
  v1::CreateClinicRequest clinic_req;
  clinic_req.set_request_id("clinic");
  v1::Clinic* c = clinic_req.mutable_clinic();
  c->set_display_name("Bench clinic");
  c->set_time_zone("Europe/Berlin");
  c->mutable_buffer()->set_seconds(600);
  for (int d = google::type::MONDAY; d <= google::type::SATURDAY; ++d) {
    auto* h = c->add_opening_hours();
    h->set_day_of_week(static_cast<google::type::DayOfWeek>(d));
    *h->mutable_open() = Tod(8);
    *h->mutable_close() = Tod(20);
  }
  BenchClinic out;
  Require(stub.CreateClinic(Ctx().get(), clinic_req, &out.clinic), "CreateClinic");
  for (int i = 0; i < practitioners; ++i) {
    v1::CreatePractitionerRequest req;
    req.set_request_id(absl::StrCat("p", i));
    auto* p = req.mutable_practitioner();
    p->set_display_name(absl::StrCat("Practitioner ", i));
    p->add_clinic_ids(out.clinic.id());
    p->add_qualified_categories(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
    for (const auto& h : out.clinic.opening_hours()) {
      auto* w = p->add_working_hours();
      w->set_clinic_id(out.clinic.id());
      w->set_day_of_week(h.day_of_week());
      *w->mutable_start() = h.open();
      *w->mutable_end() = h.close();
    }
    v1::Practitioner created;
    Require(stub.CreatePractitioner(Ctx().get(), req, &created), "CreatePractitioner");
    out.practitioner_ids.push_back(created.id());
  }
  for (int i = 0; i < rooms; ++i) {
    v1::CreateRoomRequest req;
    req.set_request_id(absl::StrCat("r", i));
    req.mutable_room()->set_clinic_id(out.clinic.id());
    req.mutable_room()->set_display_name(absl::StrCat("Room ", i));
    v1::Room room;
    Require(stub.CreateRoom(Ctx().get(), req, &room), "CreateRoom");
  }
  return out;
}

Stats Summarize(std::vector<absl::Duration> samples) {
  std::sort(samples.begin(), samples.end());
  absl::Duration total;
  for (auto d : samples) total += d;
  auto at = [&](double q) {
    return absl::ToDoubleMicroseconds(samples[static_cast<size_t>(q * (samples.size() - 1))]);
  };
  return {at(0.5), at(0.99), absl::ToDoubleMicroseconds(total) / samples.size()};
}

void Print(const char* what, size_t n, const Stats& s) {
  std::printf("%-44s n=%-6zu median %9.1f us   p99 %9.1f us   mean %9.1f us\n", what, n,
              s.median_us, s.p99_us, s.mean_us);
}

}  // namespace dermaflow::scheduling::bench
