// The gRPC handlers of dermaflow.notification.v1.NotificationService: each
// authenticates, checks the caller's roles, validates, calls the store or
// ReminderAdmin / NotificationHub, and converts the status once. The
// organization always comes from the caller.
//
//   NotificationGrpcService service({.authenticator = &auth, .store = &store, ...});
//   runtime->Serve({&service});
#pragma once

#include "common/api/page_token.h"
#include "common/auth/authenticator.h"
#include "common/auth/caller.h"
#include "common/clients/patient_client.h"
#include "common/clock/clock.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"
#include "services/notification/api/reminder_admin.h"
#include "services/notification/delivery/notification_hub.h"
#include "services/notification/store/reminder_store.h"
#include "services/notification/store/settings_cache.h"
#include "services/notification/store/settings_store.h"

namespace dermaflow::notification {

struct NotificationServiceDeps {
  const common::Authenticator* authenticator = nullptr;
  ReminderStore* store = nullptr;
  SettingsStore* settings = nullptr;
  SettingsCache* settings_cache = nullptr;  // forgotten on update
  NotificationHub* hub = nullptr;
  common::PatientClient* patients = nullptr;  // WatchNotifications checks patient_id
  const common::Clock* clock = nullptr;
};

class NotificationGrpcService final : public v1::NotificationService::Service {
 public:
  explicit NotificationGrpcService(NotificationServiceDeps deps);

  grpc::Status GetReminder(grpc::ServerContext* ctx, const v1::GetReminderRequest* req,
                           v1::Reminder* resp) override;
  grpc::Status ListReminders(grpc::ServerContext* ctx, const v1::ListRemindersRequest* req,
                             v1::ListRemindersResponse* resp) override;
  grpc::Status CancelReminder(grpc::ServerContext* ctx, const v1::CancelReminderRequest* req,
                              v1::Reminder* resp) override;
  grpc::Status ListDeadLetters(grpc::ServerContext* ctx, const v1::ListDeadLettersRequest* req,
                               v1::ListDeadLettersResponse* resp) override;
  grpc::Status RequeueDeadLetter(grpc::ServerContext* ctx, const v1::RequeueDeadLetterRequest* req,
                                 v1::Reminder* resp) override;
  grpc::Status GetQueueStats(grpc::ServerContext* ctx, const v1::GetQueueStatsRequest* req,
                             v1::QueueStats* resp) override;
  grpc::Status ListDeliveries(grpc::ServerContext* ctx, const v1::ListDeliveriesRequest* req,
                              v1::ListDeliveriesResponse* resp) override;
  grpc::Status WatchNotifications(grpc::ServerContext* ctx,
                                  const v1::WatchNotificationsRequest* req,
                                  grpc::ServerWriter<v1::Delivery>* writer) override;
  grpc::Status GetNotificationSettings(grpc::ServerContext* ctx,
                                       const v1::GetNotificationSettingsRequest* req,
                                       v1::NotificationSettings* resp) override;
  grpc::Status UpdateNotificationSettings(grpc::ServerContext* ctx,
                                          const v1::UpdateNotificationSettingsRequest* req,
                                          v1::NotificationSettings* resp) override;

 private:
  // Page tokens of the List RPCs (common/api/page_token.h).
  absl::StatusOr<std::optional<ListCursor>> After(const common::Caller& caller,
                                                  const google::protobuf::Message& request) const;
  absl::Status SetNextPageToken(const common::Caller& caller,
                                const google::protobuf::Message& request,
                                const std::optional<ListCursor>& next, std::string* token) const;

  const NotificationServiceDeps deps_;
  ReminderAdmin admin_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::notification
