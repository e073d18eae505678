// dermaflow-notification: flags -> dependencies -> Serve.
#include "common/server/service_runtime.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"

int main(int argc, char** argv) {
  auto runtime = dermaflow::common::ServiceRuntime::Init({"notification", 50054, 9464}, argc, argv);
  // Every RPC answers UNIMPLEMENTED until the notification service lands.
  dermaflow::notification::v1::NotificationService::Service service;
  return runtime->Serve({&service});
}
