// What the in-process scheduling benches share (scheduling_bench,
// waitlist_bench): stand-ins for the patient and protocol services, a bench
// clinic created through the real gRPC API, timing summaries and exiting on
// a failed setup step.
//
//   PutHydralift(protocols);
//   BenchClinic clinic = SetUpBenchClinic(*stub, /*practitioners=*/20, /*rooms=*/10);
//   Print("BookAppointment", n, Summarize(samples));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/redis/redis_client.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "google/type/timeofday.pb.h"
#include "grpcpp/client_context.h"

namespace dermaflow::scheduling::bench {

// Patient service stand-in: every patient exists, nothing else is known.
class InstantPatients : public common::PatientClient {
 public:
  absl::StatusOr<patient::v1::Patient> GetPatient(const common::CallOrigin&, const std::string& id,
                                                  patient::v1::PatientView) override;
};

// Protocol service stand-in: "pt_hydralift" v1, 30 min sessions, a course
// of 3 a week apart; everyone eligible.
void PutHydralift(common::InMemoryProtocolClient& protocols);

// Exits 1 naming `what` when a setup step failed.
void Require(const grpc::Status& s, const char* what);
void Require(const absl::Status& s, const char* what);

// A client context with a 30 s deadline (no token: the benches run --auth=none).
std::unique_ptr<grpc::ClientContext> Ctx();

google::type::TimeOfDay Tod(int hour);

// A Berlin clinic open Mon-Sat 08:00-20:00 with a 10 min buffer, its
// practitioners (mesotherapy, working all of it) and rooms.
struct BenchClinic {
  v1::Clinic clinic;
  std::vector<std::string> practitioner_ids;
};
BenchClinic SetUpBenchClinic(v1::SchedulingService::Stub& stub, int practitioners, int rooms);

struct Stats {
  double median_us, p99_us, mean_us;
};
Stats Summarize(std::vector<absl::Duration> samples);
void Print(const char* what, size_t n, const Stats& s);

}  // namespace dermaflow::scheduling::bench
