// The gRPC edge of SchedulingService: each handler authenticates the caller,
// hands the request to the component that owns it (resources, slots,
// booking, appointments) and converts the resulting status once. No business
// rules here.
//
//   SchedulingGrpcService service(runtime->authenticator(), deps, &metrics);
//   runtime->Serve({&service});
#pragma once

#include <optional>

#include "common/api/page_token.h"
#include "common/auth/authenticator.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"
#include "services/scheduling/app/appointments/appointment_life_cycle.h"
#include "services/scheduling/app/appointments/course_ending.h"
#include "services/scheduling/app/appointments/schedule_reader.h"
#include "services/scheduling/app/booking/booking_manager.h"
#include "services/scheduling/app/resource_manager.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/app/scheduling_metrics.h"
#include "services/scheduling/app/slot_finder.h"
#include "services/scheduling/app/waitlist/offer_answers.h"
#include "services/scheduling/app/waitlist/waitlist_entries.h"

namespace dermaflow::scheduling {

class SchedulingGrpcService final : public v1::SchedulingService::Service {
 public:
  // Everything referenced must outlive the service; `metrics` may be null;
  // without `waitlist` the waitlist RPCs are UNIMPLEMENTED.
  SchedulingGrpcService(const common::Authenticator& authenticator, SchedulingDeps deps,
                        SchedulingMetrics* metrics, const WaitlistDeps* waitlist = nullptr);
  // reader_ refers to page_tokens_.
  SchedulingGrpcService(const SchedulingGrpcService&) = delete;
  SchedulingGrpcService& operator=(const SchedulingGrpcService&) = delete;

  grpc::Status CreateClinic(grpc::ServerContext* ctx, const v1::CreateClinicRequest* request,
                            v1::Clinic* response) override;
  grpc::Status GetClinic(grpc::ServerContext* ctx, const v1::GetClinicRequest* request,
                         v1::Clinic* response) override;
  grpc::Status UpdateClinic(grpc::ServerContext* ctx, const v1::UpdateClinicRequest* request,
                            v1::Clinic* response) override;
  grpc::Status ListClinics(grpc::ServerContext* ctx, const v1::ListClinicsRequest* request,
                           v1::ListClinicsResponse* response) override;
  grpc::Status CreatePractitioner(grpc::ServerContext* ctx,
                                  const v1::CreatePractitionerRequest* request,
                                  v1::Practitioner* response) override;
  grpc::Status GetPractitioner(grpc::ServerContext* ctx, const v1::GetPractitionerRequest* request,
                               v1::Practitioner* response) override;
  grpc::Status UpdatePractitioner(grpc::ServerContext* ctx,
                                  const v1::UpdatePractitionerRequest* request,
                                  v1::Practitioner* response) override;
  grpc::Status ListPractitioners(grpc::ServerContext* ctx,
                                 const v1::ListPractitionersRequest* request,
                                 v1::ListPractitionersResponse* response) override;
  grpc::Status CreateRoom(grpc::ServerContext* ctx, const v1::CreateRoomRequest* request,
                          v1::Room* response) override;
  grpc::Status GetRoom(grpc::ServerContext* ctx, const v1::GetRoomRequest* request,
                       v1::Room* response) override;
  grpc::Status UpdateRoom(grpc::ServerContext* ctx, const v1::UpdateRoomRequest* request,
                          v1::Room* response) override;
  grpc::Status ListRooms(grpc::ServerContext* ctx, const v1::ListRoomsRequest* request,
                         v1::ListRoomsResponse* response) override;
  grpc::Status FindAvailableSlots(grpc::ServerContext* ctx,
                                  const v1::FindAvailableSlotsRequest* request,
                                  v1::FindAvailableSlotsResponse* response) override;
  grpc::Status BookAppointment(grpc::ServerContext* ctx, const v1::BookAppointmentRequest* request,
                               v1::Appointment* response) override;
  grpc::Status GetAppointment(grpc::ServerContext* ctx, const v1::GetAppointmentRequest* request,
                              v1::Appointment* response) override;
  grpc::Status UpdateAppointment(grpc::ServerContext* ctx,
                                 const v1::UpdateAppointmentRequest* request,
                                 v1::Appointment* response) override;
  grpc::Status ListAppointments(grpc::ServerContext* ctx,
                                const v1::ListAppointmentsRequest* request,
                                v1::ListAppointmentsResponse* response) override;
  grpc::Status RescheduleAppointment(grpc::ServerContext* ctx,
                                     const v1::RescheduleAppointmentRequest* request,
                                     v1::Appointment* response) override;
  grpc::Status CancelAppointment(grpc::ServerContext* ctx,
                                 const v1::CancelAppointmentRequest* request,
                                 v1::Appointment* response) override;
  grpc::Status CheckInAppointment(grpc::ServerContext* ctx,
                                  const v1::CheckInAppointmentRequest* request,
                                  v1::Appointment* response) override;
  grpc::Status CompleteAppointment(grpc::ServerContext* ctx,
                                   const v1::CompleteAppointmentRequest* request,
                                   v1::Appointment* response) override;
  grpc::Status MarkNoShow(grpc::ServerContext* ctx, const v1::MarkNoShowRequest* request,
                          v1::Appointment* response) override;
  grpc::Status PlanCourse(grpc::ServerContext* ctx, const v1::PlanCourseRequest* request,
                          v1::Course* response) override;
  grpc::Status GetCourse(grpc::ServerContext* ctx, const v1::GetCourseRequest* request,
                         v1::Course* response) override;
  grpc::Status ListCourses(grpc::ServerContext* ctx, const v1::ListCoursesRequest* request,
                           v1::ListCoursesResponse* response) override;
  grpc::Status CancelCourse(grpc::ServerContext* ctx, const v1::CancelCourseRequest* request,
                            v1::Course* response) override;
  grpc::Status CompleteCourse(grpc::ServerContext* ctx, const v1::CompleteCourseRequest* request,
                              v1::Course* response) override;
  grpc::Status ConfirmAppointment(grpc::ServerContext* ctx,
                                  const v1::ConfirmAppointmentRequest* request,
                                  v1::Appointment* response) override;
  grpc::Status CreateWaitlistEntry(grpc::ServerContext* ctx,
                                   const v1::CreateWaitlistEntryRequest* request,
                                   v1::WaitlistEntry* response) override;
  grpc::Status GetWaitlistEntry(grpc::ServerContext* ctx,
                                const v1::GetWaitlistEntryRequest* request,
                                v1::WaitlistEntry* response) override;
  grpc::Status ListWaitlistEntries(grpc::ServerContext* ctx,
                                   const v1::ListWaitlistEntriesRequest* request,
                                   v1::ListWaitlistEntriesResponse* response) override;
  grpc::Status DeleteWaitlistEntry(grpc::ServerContext* ctx,
                                   const v1::DeleteWaitlistEntryRequest* request,
                                   google::protobuf::Empty* response) override;
  grpc::Status ListWaitlistOffers(grpc::ServerContext* ctx,
                                  const v1::ListWaitlistOffersRequest* request,
                                  v1::ListWaitlistOffersResponse* response) override;
  grpc::Status AcceptWaitlistOffer(grpc::ServerContext* ctx,
                                   const v1::AcceptWaitlistOfferRequest* request,
                                   v1::Appointment* response) override;
  grpc::Status DeclineWaitlistOffer(grpc::ServerContext* ctx,
                                    const v1::DeclineWaitlistOfferRequest* request,
                                    v1::WaitlistOffer* response) override;

 private:
  // One RPC: authenticate, run `body`, store its result in `response`,
  // convert the status once.
  template <typename Response, typename Body>
  grpc::Status Serve(grpc::ServerContext* ctx, const google::protobuf::Message& request,
                     Response* response, Body body);
  // Serve, or UNIMPLEMENTED when this server has no waitlist.
  template <typename Response, typename Body>
  grpc::Status ServeWaitlist(grpc::ServerContext* ctx, const google::protobuf::Message& request,
                             Response* response, Body body);

  const common::Authenticator& authenticator_;
  SchedulingDeps deps_;
  ResourceManager resources_;
  SlotFinder slots_;
  BookingManager booking_;
  // After booking: state changes, reads (paged with page_tokens_) and ending courses.
  common::PageTokenCodec page_tokens_;
  AppointmentLifeCycle life_cycle_;
  ScheduleReader reader_;
  CourseEnding ending_;
  // Set when the service has a waitlist store (main.cc, the tests).
  std::optional<WaitlistEntries> waitlist_;
  std::optional<OfferAnswers> offers_;
};

}  // namespace dermaflow::scheduling
