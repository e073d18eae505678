#include "services/notification/inbound/sms_reply_server.h"

#include <civetweb.h>

#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/notification/inbound/sms_reply.h"

namespace dermaflow::notification {
namespace {

constexpr char kPath[] = "/v1/sms/replies";
// A provider's reply post is a few hundred bytes; anything far larger is not one.
constexpr long long kMaxBody = 64LL * 1024;
constexpr char kEmptyTwiml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

int Reply(mg_connection* conn, int status, std::string_view reason, std::string_view type,
          std::string_view body) {
  mg_printf(conn,
            "HTTP/1.1 %d %.*s\r\nContent-Type: %.*s\r\nContent-Length: %zu\r\n"
            "Connection: close\r\n\r\n%.*s",
            status, static_cast<int>(reason.size()), reason.data(), static_cast<int>(type.size()),
            type.data(), body.size(), static_cast<int>(body.size()), body.data());
  return status;
}

std::string Header(const mg_connection* conn, const char* name) {
  const char* value = mg_get_header(conn, name);
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SmsReplyServer>> SmsReplyServer::Start(SmsReplyServerOptions options,
                                                                      SmsReplyHandler& handler) {
  if (options.secret.empty()) {
    return absl::InvalidArgumentError(
        "SMS replies need the provider's secret to verify posts (--sms_twilio_auth_token_file "
        "or --sms_webhook_secret_file)");
  }
  if (options.signature == SmsReplyServerOptions::Signature::kTwilio &&
      options.public_url.empty()) {
    return absl::InvalidArgumentError(
        "--sms_reply_public_url is required with Twilio: its signature covers the URL it posts to");
  }
  std::unique_ptr<SmsReplyServer> server(new SmsReplyServer(std::move(options), handler));
  mg_init_library(0);
  const std::string ports = server->options_.listen;
  // Each request makes one call to scheduling (3 s deadline); providers give
  // up after 15 s, so a request never waits longer than 10 s for its body.
  const char* civet_options[] = {"listening_ports",    ports.c_str(), "num_threads", "16",
                                 "request_timeout_ms", "10000",       nullptr};
  mg_callbacks callbacks{};
  server->context_ = mg_start(&callbacks, nullptr, civet_options);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen for SMS replies on ", ports));
  }
  mg_server_port bound{};
  if (mg_get_server_ports(server->context_, 1, &bound) != 1) {
    return absl::UnavailableError("SMS reply server has no port");
  }
  server->port_ = bound.port;
  mg_set_request_handler(server->context_, kPath, &SmsReplyServer::Serve, server.get());
  return server;
}

SmsReplyServer::~SmsReplyServer() {
  if (context_ != nullptr) mg_stop(context_);
}

int SmsReplyServer::Serve(mg_connection* conn, void* self) {
  return static_cast<SmsReplyServer*>(self)->Answer(conn);
}

int SmsReplyServer::Answer(mg_connection* conn) {
  const mg_request_info* request = mg_get_request_info(conn);
  if (std::string_view(request->request_method) != "POST") {
    return Reply(conn, 405, "Method Not Allowed", "text/plain", "POST only\n");
  }
  if (request->content_length < 0 || request->content_length > kMaxBody) {
    return Reply(conn, 413, "Payload Too Large", "text/plain", "not an SMS reply\n");
  }
  std::string body(static_cast<size_t>(request->content_length), '\0');
  size_t read = 0;
  while (read < body.size()) {
    const int n = mg_read(conn, body.data() + read, body.size() - read);
    if (n <= 0) break;
    read += static_cast<size_t>(n);
  }
  body.resize(read);
  const std::map<std::string, std::string> form = ParseForm(body);
  const bool verified =
      options_.signature == SmsReplyServerOptions::Signature::kTwilio
          ? TwilioSignatureValid(options_.secret, options_.public_url, form,
                                 Header(conn, "X-Twilio-Signature"))
          : WebhookSignatureValid(options_.secret, body, Header(conn, "X-Dermaflow-Signature"));
  if (!verified) {
    handler_.CountBadSignature();
    return Reply(conn, 403, "Forbidden", "text/plain", "signature does not verify\n");
  }
  auto field = [&form](const char* name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  const SmsReplyOutcome outcome =
      handler_.Handle(field("From"), field("Body"), field("MessageSid"));
  // 503 lets the provider retry (or use its fallback URL) when the answer
  // could not be recorded; everything else was handled.
  if (outcome == SmsReplyOutcome::kFailed) {
    return Reply(conn, 503, "Service Unavailable", "text/plain", "try again\n");
  }
  return Reply(conn, 200, "OK", "text/xml", kEmptyTwiml);
}

}  // namespace dermaflow::notification
