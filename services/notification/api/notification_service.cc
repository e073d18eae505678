#include "services/notification/api/notification_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_size.h"
#include "common/auth/handle_rpc.h"
#include "common/status/api_errors.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/macros.h"
#include "services/notification/api/notification_roles.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/domain/notification_errors.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/settings.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

using common::Caller;
using common::HandleRpc;

// [start, end) of an Interval; either end may be open. INVALID_ARGUMENT
// naming `field` when end is before start.
absl::Status ReadRange(const google::type::Interval& range, const char* field,
                       std::optional<absl::Time>* from, std::optional<absl::Time>* to) {
  if (range.has_start_time()) *from = ToTime(range.start_time());
  if (range.has_end_time()) *to = ToTime(range.end_time());
  if (*from && *to && **to < **from)
    return common::InvalidArgumentError(field, "end is before start");
  return absl::OkStatus();
}

absl::Status RequireId(const std::string& id) {
  return id.empty() ? common::InvalidArgumentError("id", "required") : absl::OkStatus();
}

// The store's cursors as page-token positions: {due or delivery ms, id}.
common::PagePosition ToPosition(const ListCursor& cursor) {
  return {absl::StrCat(cursor.time_ms), cursor.id};
}

absl::StatusOr<std::optional<ListCursor>> ToCursor(const common::PagePosition& position) {
  if (position.empty()) return std::nullopt;
  ListCursor cursor;
  if (position.size() != 2 || !absl::SimpleAtoi(position[0], &cursor.time_ms)) {
    return common::InvalidArgumentError("page_token", "is not a token of this list");
  }
  cursor.id = position[1];
  return cursor;
}

}  // namespace

NotificationGrpcService::NotificationGrpcService(NotificationServiceDeps deps)
    : deps_(deps),
      admin_(*deps.store, *deps.clock),
      page_tokens_([store = deps.store] { return store->PageTokenSecret(); }) {}

absl::StatusOr<std::optional<ListCursor>> NotificationGrpcService::After(
    const Caller& caller, const google::protobuf::Message& request) const {
  DF_ASSIGN_OR_RETURN(common::PagePosition position,
                      page_tokens_.Decode(caller.organization, request));
  return ToCursor(position);
}

absl::Status NotificationGrpcService::SetNextPageToken(const Caller& caller,
                                                       const google::protobuf::Message& request,
                                                       const std::optional<ListCursor>& next,
                                                       std::string* token) const {
  if (!next) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(*token, page_tokens_.Encode(caller.organization, request, ToPosition(*next)));
  return absl::OkStatus();
}

grpc::Status NotificationGrpcService::GetReminder(grpc::ServerContext* ctx,
                                                  const v1::GetReminderRequest* req,
                                                  v1::Reminder* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetReminder")));
    DF_RETURN_IF_ERROR(RequireId(req->id()));
    if (!IsWellFormedReminderId(req->id())) {
      return common::NotFoundError(kErrorDomain, kReminderType, req->id());
    }
    DF_ASSIGN_OR_RETURN(VersionedRecord r, deps_.store->Get(caller.organization, req->id()));
    *resp = ToApiReminder(r.record);
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::ListReminders(grpc::ServerContext* ctx,
                                                    const v1::ListRemindersRequest* req,
                                                    v1::ListRemindersResponse* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("ListReminders")));
    DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(req->page_size()));
    DF_ASSIGN_OR_RETURN(std::optional<ListCursor> after, After(caller, *req));
    ReminderFilter filter;
    filter.patient_id = req->patient_id();
    filter.appointment_id = req->appointment_id();
    filter.course_id = req->course_id();
    for (int k : req->kinds()) {
      if (k != v1::ReminderKind::REMINDER_KIND_UNSPECIFIED)
        filter.kinds.push_back(static_cast<ReminderKind>(k));
    }
    for (int s : req->states()) {
      if (s != v1::ReminderState::REMINDER_STATE_UNSPECIFIED)
        filter.states.push_back(static_cast<ReminderState>(s));
    }
    DF_RETURN_IF_ERROR(
        ReadRange(req->due_time_range(), "due_time_range", &filter.due_from, &filter.due_to));
    DF_ASSIGN_OR_RETURN(ReminderPage page,
                        deps_.store->ListReminders(caller.organization, filter, page_size, after));
    for (const ReminderRecord& r : page.reminders) *resp->add_reminders() = ToApiReminder(r);
    DF_RETURN_IF_ERROR(SetNextPageToken(caller, *req, page.next, resp->mutable_next_page_token()));
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::CancelReminder(grpc::ServerContext* ctx,
                                                     const v1::CancelReminderRequest* req,
                                                     v1::Reminder* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("CancelReminder")));
    common::FieldViolations v;
    if (req->id().empty()) v.Add("id", "required");
    if (req->note().size() > 200) v.Add("note", "at most 200 characters");
    DF_RETURN_IF_ERROR(v.ToStatus());
    DF_ASSIGN_OR_RETURN(ReminderRecord r,
                        admin_.Cancel(caller.organization, req->id(), req->note(), caller.subject));
    *resp = ToApiReminder(r);
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::ListDeadLetters(grpc::ServerContext* ctx,
                                                      const v1::ListDeadLettersRequest* req,
                                                      v1::ListDeadLettersResponse* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("ListDeadLetters")));
    DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(req->page_size()));
    DF_ASSIGN_OR_RETURN(std::optional<ListCursor> after, After(caller, *req));
    DF_ASSIGN_OR_RETURN(ReminderPage page,
                        deps_.store->ListDeadLetters(caller.organization, page_size, after));
    for (const ReminderRecord& r : page.reminders) *resp->add_reminders() = ToApiReminder(r);
    DF_RETURN_IF_ERROR(SetNextPageToken(caller, *req, page.next, resp->mutable_next_page_token()));
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::RequeueDeadLetter(grpc::ServerContext* ctx,
                                                        const v1::RequeueDeadLetterRequest* req,
                                                        v1::Reminder* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("RequeueDeadLetter")));
    DF_RETURN_IF_ERROR(RequireId(req->id()));
    DF_ASSIGN_OR_RETURN(ReminderRecord r, admin_.Requeue(caller.organization, req->id()));
    *resp = ToApiReminder(r);
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::GetQueueStats(grpc::ServerContext* ctx,
                                                    const v1::GetQueueStatsRequest* req,
                                                    v1::QueueStats* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetQueueStats")));
    const absl::Time now = deps_.clock->Now();
    DF_ASSIGN_OR_RETURN(QueueCounts c, deps_.store->CountQueue(caller.organization, now));
    resp->set_scheduled(c.scheduled);
    resp->set_due(c.due);
    resp->set_in_flight(c.in_flight);
    resp->set_retrying(c.retrying);
    resp->set_dead_letter(c.dead_letter);
    *resp->mutable_oldest_due_age() =
        ToProtoDuration(c.oldest_due ? now - *c.oldest_due : absl::ZeroDuration());
    *resp->mutable_compute_time() = ToTimestamp(now);
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::ListDeliveries(grpc::ServerContext* ctx,
                                                     const v1::ListDeliveriesRequest* req,
                                                     v1::ListDeliveriesResponse* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("ListDeliveries")));
    DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(req->page_size()));
    DF_ASSIGN_OR_RETURN(std::optional<ListCursor> after, After(caller, *req));
    DeliveryFilter filter;
    filter.patient_id = req->patient_id();
    for (int c : req->channels()) {
      if (c != PatientChannel::CHANNEL_UNSPECIFIED)
        filter.channels.push_back(static_cast<PatientChannel>(c));
    }
    DF_RETURN_IF_ERROR(
        ReadRange(req->delivered_time_range(), "delivered_time_range", &filter.from, &filter.to));
    DF_ASSIGN_OR_RETURN(DeliveryPage page,
                        deps_.store->ListDeliveries(caller.organization, filter, page_size, after));
    for (v1::Delivery& d : page.deliveries) *resp->add_deliveries() = std::move(d);
    DF_RETURN_IF_ERROR(SetNextPageToken(caller, *req, page.next, resp->mutable_next_page_token()));
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::WatchNotifications(grpc::ServerContext* ctx,
                                                         const v1::WatchNotificationsRequest* req,
                                                         grpc::ServerWriter<v1::Delivery>* writer) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("WatchNotifications")));
    WatchFilter filter;
    filter.patient_id = req->patient_id();
    common::FieldViolations v;
    for (int i = 0; i < req->channels_size(); ++i) {
      if (req->channels(i) == PatientChannel::CHANNEL_UNSPECIFIED ||
          !patient::v1::Channel_IsValid(req->channels(i))) {
        v.Add(absl::StrCat("channels[", i, "]"), "must be a channel");
      }
      filter.channels.push_back(static_cast<PatientChannel>(req->channels(i)));
    }
    DF_RETURN_IF_ERROR(v.ToStatus());
    if (!filter.patient_id.empty()) {
      DF_ASSIGN_OR_RETURN(PatientPrefs prefs, ReadPatientPrefs(*deps_.patients, caller.organization,
                                                               filter.patient_id));
      if (!prefs.exists) {
        return common::ResourceError(absl::StatusCode::kNotFound, "patient not found",
                                     "dermaflow.patient.v1.Patient", filter.patient_id);
      }
    }
    return deps_.hub->Watch(
        caller.organization, filter, [&](const v1::Delivery& d) { return writer->Write(d); },
        [&] { return ctx->IsCancelled(); });
  });
}

grpc::Status NotificationGrpcService::GetNotificationSettings(
    grpc::ServerContext* ctx, const v1::GetNotificationSettingsRequest* req,
    v1::NotificationSettings* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("GetNotificationSettings")));
    DF_ASSIGN_OR_RETURN(*resp, deps_.settings->Get(caller.organization));
    return absl::OkStatus();
  });
}

grpc::Status NotificationGrpcService::UpdateNotificationSettings(
    grpc::ServerContext* ctx, const v1::UpdateNotificationSettingsRequest* req,
    v1::NotificationSettings* resp) {
  return HandleRpc(ctx, *deps_.authenticator, *req, [&](const Caller& caller) -> absl::Status {
    DF_RETURN_IF_ERROR(common::RequireRpcRoles(caller, RolesOf("UpdateNotificationSettings")));
    DF_ASSIGN_OR_RETURN(v1::NotificationSettings current, deps_.settings->Get(caller.organization));
    DF_ASSIGN_OR_RETURN(v1::NotificationSettings merged, ApplySettingsUpdate(current, *req));
    DF_ASSIGN_OR_RETURN(*resp, deps_.settings->Update(caller.organization, merged,
                                                      req->settings().etag(), deps_.clock->Now()));
    deps_.settings_cache->Forget(caller.organization);
    return absl::OkStatus();
  });
}

}  // namespace dermaflow::notification
