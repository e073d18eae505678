// dermaflow-scheduling: flags -> dependencies -> Serve.
#include <unistd.h>

#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/action_token.h"
#include "common/api/page_token_secret.h"
#include "common/auth/service_token_source.h"
#include "common/clients/caching_protocol_client.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/config/config_error.h"
#include "common/logging/log.h"
#include "common/replicas/tenant_share.h"
#include "common/server/service_runtime.h"
#include "services/scheduling/api/patient_action_service.h"
#include "services/scheduling/api/scheduling_service.h"
#include "services/scheduling/app/confirmations/confirmation_metrics.h"
#include "services/scheduling/app/waitlist/offer_sweeper.h"
#include "services/scheduling/intake/event_intake.h"
#include "services/scheduling/jobs/confirmation_sweeper.h"
#include "services/scheduling/store/redis_action_ledger.h"
#include "services/scheduling/store/redis_appointment_store.h"
#include "services/scheduling/store/redis_resource_store.h"
#include "services/scheduling/store/redis_waitlist_store.h"

ABSL_FLAG(std::string, patient_addr, "localhost:50051", "host:port of dermaflow-patient");
ABSL_FLAG(std::string, protocol_addr, "localhost:50052", "host:port of dermaflow-protocol");
ABSL_FLAG(absl::Duration, dependency_timeout, absl::Seconds(3),
          "Deadline of calls to the patient and protocol services (or the caller's, if sooner)");
ABSL_FLAG(absl::Duration, protocol_latest_ttl, absl::Seconds(5),
          "How long the version a protocol's \"latest\" resolved to is trusted before the "
          "protocol service is asked again; a new version is booked at most this long after "
          "it is published (0: ask on every booking)");
ABSL_FLAG(int32_t, offers_per_slot, 3,
          "Waitlist entries offered one freed slot at once, unless the clinic's "
          "waitlist_policy says otherwise (1-10)");
ABSL_FLAG(absl::Duration, offer_hold, absl::Hours(2),
          "How long a freed slot is held for its offers, unless the clinic's waitlist_policy "
          "says otherwise");
ABSL_FLAG(std::string, offer_quiet_hours, "21:00-08:00",
          "Quiet hours (patient's local time) for patients without their own: no offer is made "
          "to them then; mirrors notification's NotificationSettings.default_quiet_hours");
ABSL_FLAG(absl::Duration, waitlist_sweep_interval, absl::Seconds(15),
          "How often expired offer holds are released and freed slots moved on");

ABSL_FLAG(absl::Duration, confirmation_sweep_interval, absl::Seconds(15),
          "How often the confirmation sweeper sends due confirmation requests and marks "
          "unanswered ones NO_ANSWER (every replica sweeps; they never double-publish)");

int main(int argc, char** argv) {
  using namespace dermaflow;
  // Scheduling takes only small requests (the largest: a course plan, a clinic
  // with its hours): 1 MiB is ample; --max_receive_message_bytes overrides it.
  auto runtime =
      common::ServiceRuntime::Init({.name = "scheduling",
                                    .default_port = 50053,
                                    .default_metrics_port = 9463,
                                    .default_max_receive_message_bytes = 1024 * 1024,
                                    .api = scheduling::v1::SchedulingService::service_full_name(),
                                    .expensive_rpcs = {"FindAvailableSlots", "ListAppointments"}},
                                   argc, argv);
  // The waitlist offers freed slots on scheduling's own behalf (screening,
  // quiet hours): it needs the service identity; without one it is off.
  absl::StatusOr<common::ServiceTokenOptions> token_options =
      runtime->optional_service_token_options();
  std::unique_ptr<common::ServiceTokenSource> service_tokens;
  if (token_options.ok()) {
    service_tokens = std::make_unique<common::ServiceTokenSource>(*token_options, runtime->clock());
  } else {
    common::LogError("waitlist offers are off: scheduling has no service identity",
                     {{"error", std::string(token_options.status().message())}});
  }
  const common::ClientOptions clients{.via_service = "scheduling",
                                      .timeout = absl::GetFlag(FLAGS_dependency_timeout),
                                      .service_tokens = service_tokens.get()};
  scheduling::RedisResourceStore resources(runtime->redis());
  scheduling::RedisAppointmentStore appointments(runtime->redis(), runtime->clock(),
                                                 runtime->event_stream_options());
  scheduling::RedisWaitlistStore waitlist_store(runtime->redis(), runtime->clock(),
                                                runtime->event_stream_options());
  common::GrpcProtocolClient protocol_service(runtime->Connect(absl::GetFlag(FLAGS_protocol_addr)),
                                              clients);
  common::CachingProtocolClient protocols(protocol_service, runtime->clock(),
                                          absl::GetFlag(FLAGS_protocol_latest_ttl));
  common::GrpcPatientClient patients(runtime->Connect(absl::GetFlag(FLAGS_patient_addr)), clients);
  scheduling::ConfirmationMetrics confirmation_metrics(runtime->metrics().registry());
  const scheduling::SchedulingDeps deps{resources, appointments,     protocols,
                                        patients,  runtime->clock(), &confirmation_metrics};
  scheduling::SchedulingMetrics metrics(runtime->metrics().registry());
  scheduling::WaitlistMetrics waitlist_metrics(runtime->metrics().registry());
  scheduling::WaitlistSettings settings{
      .offers_per_slot = absl::GetFlag(FLAGS_offers_per_slot),
      .hold = absl::GetFlag(FLAGS_offer_hold),
      .default_quiet_hours = common::OrExitWithConfigError(
          scheduling::ParseQuietWindow(absl::GetFlag(FLAGS_offer_quiet_hours)))};
  const scheduling::WaitlistDeps waitlist{deps, waitlist_store, waitlist_metrics, settings};
  scheduling::SchedulingGrpcService service(runtime->authenticator(), deps, &metrics, &waitlist);
  // Patients' actions from messages: links and SMS replies (docs/frontend.md).
  const common::ActionTokenCodec action_tokens(
      [&runtime] { return common::LoadActionTokenSecret(runtime->redis()); });
  scheduling::RedisActionLedger action_ledger(runtime->redis());
  scheduling::PatientActions patient_actions(waitlist, action_ledger);
  scheduling::PatientActionGrpcService action_service(action_tokens, patient_actions,
                                                      &runtime->admission(), runtime->clock());
  // patient.erased frees the erased patient's calendar; cancelled and moved
  // appointments free slots for the waitlist (docs/scheduling.md).
  scheduling::PatientErasure erasure(deps);
  scheduling::SlotOffers slot_offers(waitlist);
  const bool offering = service_tokens != nullptr;
  scheduling::EventIntake intake(
      runtime->redis(), erasure, runtime->metrics().registry(),
      {.group = "scheduling", .consumer = common::ThisReplicaId("scheduling")},
      offering ? &slot_offers : nullptr, &waitlist_metrics);
  scheduling::OfferSweeper sweeper(waitlist_store, slot_offers, waitlist_metrics, runtime->clock(),
                                   absl::GetFlag(FLAGS_waitlist_sweep_interval));
  intake.Start();
  if (offering) sweeper.Start();
  // Confirmation requests and answer deadlines (docs/scheduling.md).
  scheduling::ConfirmationSweeper confirmation_sweeper(
      deps, &confirmation_metrics, absl::GetFlag(FLAGS_confirmation_sweep_interval));
  confirmation_sweeper.Start();
  runtime->OnShutdown([&intake, &sweeper, &confirmation_sweeper] {
    confirmation_sweeper.Stop();
    sweeper.Stop();
    intake.Stop();
  });
  return runtime->Serve({&service, &action_service});
}
