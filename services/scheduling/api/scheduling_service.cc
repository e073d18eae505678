#include "services/scheduling/api/scheduling_service.h"

#include "common/auth/handle_rpc.h"
#include "services/scheduling/app/confirmations/confirmation_answers.h"

namespace dermaflow::scheduling {

template <typename Response, typename Body>
grpc::Status SchedulingGrpcService::Serve(grpc::ServerContext* ctx,
                                          const google::protobuf::Message& request,
                                          Response* response, Body body) {
  return common::HandleRpc(ctx, authenticator_, request,
                           [&](const common::Caller& caller) -> absl::Status {
                             absl::StatusOr<Response> result = body(CallContext{caller, ctx});
                             if (!result.ok()) return result.status();
                             *response = *std::move(result);
                             return absl::OkStatus();
                           });
}

template <typename Response, typename Body>
grpc::Status SchedulingGrpcService::ServeWaitlist(grpc::ServerContext* ctx,
                                                  const google::protobuf::Message& request,
                                                  Response* response, Body body) {
  // Only a server wired without the waitlist (benches) lacks it.
  if (!waitlist_ || !offers_) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no waitlist configured");
  }
  return Serve(ctx, request, response, body);
}

SchedulingGrpcService::SchedulingGrpcService(const common::Authenticator& authenticator,
                                             SchedulingDeps deps, SchedulingMetrics* metrics,
                                             const WaitlistDeps* waitlist)
    : authenticator_(authenticator),
      deps_(deps),
      resources_(deps.resources, deps.clock),
      slots_(deps),
      booking_(deps, metrics),
      page_tokens_([r = &deps.resources] { return r->PageTokenSecret(); }),
      life_cycle_(deps),
      reader_(deps, page_tokens_),
      ending_(deps) {
  if (waitlist != nullptr) {
    waitlist_.emplace(*waitlist, page_tokens_);
    offers_.emplace(*waitlist);
  }
}

grpc::Status SchedulingGrpcService::CreateClinic(grpc::ServerContext* ctx,
                                                 const v1::CreateClinicRequest* request,
                                                 v1::Clinic* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.CreateClinic(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::GetClinic(grpc::ServerContext* ctx,
                                              const v1::GetClinicRequest* request,
                                              v1::Clinic* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.GetClinic(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::UpdateClinic(grpc::ServerContext* ctx,
                                                 const v1::UpdateClinicRequest* request,
                                                 v1::Clinic* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.UpdateClinic(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::ListClinics(grpc::ServerContext* ctx,
                                                const v1::ListClinicsRequest* request,
                                                v1::ListClinicsResponse* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.ListClinics(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::CreatePractitioner(grpc::ServerContext* ctx,
                                                       const v1::CreatePractitionerRequest* request,
                                                       v1::Practitioner* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.CreatePractitioner(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::GetPractitioner(grpc::ServerContext* ctx,
                                                    const v1::GetPractitionerRequest* request,
                                                    v1::Practitioner* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.GetPractitioner(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::UpdatePractitioner(grpc::ServerContext* ctx,
                                                       const v1::UpdatePractitionerRequest* request,
                                                       v1::Practitioner* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.UpdatePractitioner(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::ListPractitioners(grpc::ServerContext* ctx,
                                                      const v1::ListPractitionersRequest* request,
                                                      v1::ListPractitionersResponse* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.ListPractitioners(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::CreateRoom(grpc::ServerContext* ctx,
                                               const v1::CreateRoomRequest* request,
                                               v1::Room* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.CreateRoom(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::GetRoom(grpc::ServerContext* ctx,
                                            const v1::GetRoomRequest* request, v1::Room* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return resources_.GetRoom(call.caller, *request); });
}

grpc::Status SchedulingGrpcService::UpdateRoom(grpc::ServerContext* ctx,
                                               const v1::UpdateRoomRequest* request,
                                               v1::Room* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.UpdateRoom(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::ListRooms(grpc::ServerContext* ctx,
                                              const v1::ListRoomsRequest* request,
                                              v1::ListRoomsResponse* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return resources_.ListRooms(call.caller, *request);
  });
}

grpc::Status SchedulingGrpcService::FindAvailableSlots(grpc::ServerContext* ctx,
                                                       const v1::FindAvailableSlotsRequest* request,
                                                       v1::FindAvailableSlotsResponse* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return slots_.Find(call, *request); });
}

grpc::Status SchedulingGrpcService::BookAppointment(grpc::ServerContext* ctx,
                                                    const v1::BookAppointmentRequest* request,
                                                    v1::Appointment* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return booking_.BookAppointment(call, *request); });
}

grpc::Status SchedulingGrpcService::GetAppointment(grpc::ServerContext* ctx,
                                                   const v1::GetAppointmentRequest* request,
                                                   v1::Appointment* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return reader_.GetAppointment(call, *request); });
}

grpc::Status SchedulingGrpcService::UpdateAppointment(grpc::ServerContext* ctx,
                                                      const v1::UpdateAppointmentRequest* request,
                                                      v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return life_cycle_.UpdateAppointment(call, *request);
  });
}

grpc::Status SchedulingGrpcService::ListAppointments(grpc::ServerContext* ctx,
                                                     const v1::ListAppointmentsRequest* request,
                                                     v1::ListAppointmentsResponse* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return reader_.ListAppointments(call, *request); });
}

grpc::Status SchedulingGrpcService::RescheduleAppointment(
    grpc::ServerContext* ctx, const v1::RescheduleAppointmentRequest* request,
    v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return booking_.RescheduleAppointment(call, *request);
  });
}

grpc::Status SchedulingGrpcService::CancelAppointment(grpc::ServerContext* ctx,
                                                      const v1::CancelAppointmentRequest* request,
                                                      v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return life_cycle_.CancelAppointment(call, *request);
  });
}

grpc::Status SchedulingGrpcService::CheckInAppointment(grpc::ServerContext* ctx,
                                                       const v1::CheckInAppointmentRequest* request,
                                                       v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return life_cycle_.CheckInAppointment(call, *request);
  });
}

grpc::Status SchedulingGrpcService::CompleteAppointment(
    grpc::ServerContext* ctx, const v1::CompleteAppointmentRequest* request,
    v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return life_cycle_.CompleteAppointment(call, *request);
  });
}

grpc::Status SchedulingGrpcService::MarkNoShow(grpc::ServerContext* ctx,
                                               const v1::MarkNoShowRequest* request,
                                               v1::Appointment* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return life_cycle_.MarkNoShow(call, *request); });
}

grpc::Status SchedulingGrpcService::PlanCourse(grpc::ServerContext* ctx,
                                               const v1::PlanCourseRequest* request,
                                               v1::Course* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return booking_.PlanCourse(call, *request); });
}

grpc::Status SchedulingGrpcService::GetCourse(grpc::ServerContext* ctx,
                                              const v1::GetCourseRequest* request,
                                              v1::Course* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return reader_.GetCourse(call, *request); });
}

grpc::Status SchedulingGrpcService::ListCourses(grpc::ServerContext* ctx,
                                                const v1::ListCoursesRequest* request,
                                                v1::ListCoursesResponse* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return reader_.ListCourses(call, *request); });
}

grpc::Status SchedulingGrpcService::CancelCourse(grpc::ServerContext* ctx,
                                                 const v1::CancelCourseRequest* request,
                                                 v1::Course* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return ending_.CancelCourse(call, *request); });
}

grpc::Status SchedulingGrpcService::CompleteCourse(grpc::ServerContext* ctx,
                                                   const v1::CompleteCourseRequest* request,
                                                   v1::Course* response) {
  return Serve(ctx, *request, response,
               [&](const CallContext& call) { return ending_.CompleteCourse(call, *request); });
}

grpc::Status SchedulingGrpcService::ConfirmAppointment(grpc::ServerContext* ctx,
                                                       const v1::ConfirmAppointmentRequest* request,
                                                       v1::Appointment* response) {
  return Serve(ctx, *request, response, [&](const CallContext& call) {
    return scheduling::ConfirmAppointment(deps_, call, *request);
  });
}

grpc::Status SchedulingGrpcService::CreateWaitlistEntry(
    grpc::ServerContext* ctx, const v1::CreateWaitlistEntryRequest* request,
    v1::WaitlistEntry* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return waitlist_->Create(call, *request); });
}

grpc::Status SchedulingGrpcService::GetWaitlistEntry(grpc::ServerContext* ctx,
                                                     const v1::GetWaitlistEntryRequest* request,
                                                     v1::WaitlistEntry* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return waitlist_->Get(call, *request); });
}

grpc::Status SchedulingGrpcService::ListWaitlistEntries(
    grpc::ServerContext* ctx, const v1::ListWaitlistEntriesRequest* request,
    v1::ListWaitlistEntriesResponse* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return waitlist_->List(call, *request); });
}

grpc::Status SchedulingGrpcService::DeleteWaitlistEntry(
    grpc::ServerContext* ctx, const v1::DeleteWaitlistEntryRequest* request,
    google::protobuf::Empty* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return waitlist_->Delete(call, *request); });
}

grpc::Status SchedulingGrpcService::ListWaitlistOffers(grpc::ServerContext* ctx,
                                                       const v1::ListWaitlistOffersRequest* request,
                                                       v1::ListWaitlistOffersResponse* response) {
  return ServeWaitlist(ctx, *request, response, [&](const CallContext& call) {
    return waitlist_->ListOffers(call, *request);
  });
}

grpc::Status SchedulingGrpcService::AcceptWaitlistOffer(
    grpc::ServerContext* ctx, const v1::AcceptWaitlistOfferRequest* request,
    v1::Appointment* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return offers_->Accept(call, *request); });
}

grpc::Status SchedulingGrpcService::DeclineWaitlistOffer(
    grpc::ServerContext* ctx, const v1::DeclineWaitlistOfferRequest* request,
    v1::WaitlistOffer* response) {
  return ServeWaitlist(ctx, *request, response,
                       [&](const CallContext& call) { return offers_->Decline(call, *request); });
}

}  // namespace dermaflow::scheduling
