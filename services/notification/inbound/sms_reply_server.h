// The HTTP endpoint SMS providers post replies to (docs/notification.md
// "SMS replies"): POST /v1/sms/replies, form-encoded From and Body, signed
// — Twilio's X-Twilio-Signature under the auth token over the public URL it
// posted to, or the webhook provider's X-Dermaflow-Signature over the body.
// A post that does not verify is 403 and counted (bad_signature); a
// verified one is handed to SmsReplyHandler and answered 200 with an empty
// TwiML response (no reply SMS). Plain HTTP: run it behind the ingress that
// terminates TLS for the provider (docs/deploy.md), like /metrics.
//
//   auto server = SmsReplyServer::Start({.listen = "0.0.0.0:9480", ...}, handler);
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/notification/inbound/sms_reply_handler.h"

struct mg_context;
struct mg_connection;

namespace dermaflow::notification {

struct SmsReplyServerOptions {
  std::string listen;  // "host:port"; port 0 picks a free one (tests)
  enum class Signature { kTwilio, kWebhook } signature = Signature::kTwilio;
  // The Twilio auth token or the webhook provider's HMAC secret.
  std::string secret;
  // The URL the provider posts to, as configured there (Twilio signs it).
  std::string public_url;
};

class SmsReplyServer {
 public:
  // Listening when it returns; INVALID_ARGUMENT / UNAVAILABLE naming the
  // problem otherwise. `handler` must outlive the server.
  static absl::StatusOr<std::unique_ptr<SmsReplyServer>> Start(SmsReplyServerOptions options,
                                                               SmsReplyHandler& handler);
  ~SmsReplyServer();  // Stops listening and waits for requests in hand.

  int port() const { return port_; }

 private:
  SmsReplyServer(SmsReplyServerOptions options, SmsReplyHandler& handler)
      : options_(std::move(options)), handler_(handler) {}
  static int Serve(mg_connection* conn, void* self);
  int Answer(mg_connection* conn);

  const SmsReplyServerOptions options_;
  SmsReplyHandler& handler_;
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace dermaflow::notification
