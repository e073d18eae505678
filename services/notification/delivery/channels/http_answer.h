// What the HTTP channels (SMS webhook, Twilio) share beyond libcurl's setup
// (common/http/curl_easy.h): checking a configured URL and turning an
// answer into a channel error the dispatcher knows how to retry.
//
//   DF_RETURN_IF_ERROR(CheckHttpUrl("sms_webhook_url", url, /*allow_remote_http=*/false));
//   return MapHttpAnswer("sms gateway", curl_easy_perform(h), http_status);
#pragma once

#include <curl/curl.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace dermaflow::notification {

// An http(s):// URL with a host, parsed by libcurl; InvalidArgument naming
// `flag` otherwise. Plain http:// to a non-loopback host is an error unless
// `allow_remote_http` (then the caller warns).
absl::Status CheckHttpUrl(absl::string_view flag, const std::string& url, bool allow_remote_http,
                          bool* plain_http_remote = nullptr);

// A plain HTTP exchange as a channel_errors.h error: OK for 2xx; network
// trouble, 408, 429 and 5xx UNAVAILABLE (retried); 401/403 UNAVAILABLE with
// reason auth (a configuration problem); other answers FAILED_PRECONDITION
// (dead letter). `who` starts the message, e.g. "sms gateway".
absl::Status MapHttpAnswer(absl::string_view who, CURLcode code, long http);

}  // namespace dermaflow::notification
