#include "services/notification/delivery/channels/http_answer.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/http/curl_easy.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/channels/smtp_config.h"

namespace dermaflow::notification {

absl::Status CheckHttpUrl(absl::string_view flag, const std::string& url, bool allow_remote_http,
                          bool* plain_http_remote) {
  auto error = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", why));
  };
  CURLU* parsed = curl_url();
  if (!parsed) return error("out of memory");
  std::string scheme;
  std::string host;
  const CURLUcode rc = curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0);
  char* part = nullptr;
  if (rc == CURLUE_OK && curl_url_get(parsed, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    scheme = absl::AsciiStrToLower(part);
    curl_free(part);
  }
  if (rc == CURLUE_OK && curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    host = part;
    curl_free(part);
  }
  curl_url_cleanup(parsed);
  if (rc != CURLUE_OK) return error(absl::StrCat("not a URL (", curl_url_strerror(rc), ")"));
  if (scheme != "https" && scheme != "http") return error("needs an https:// URL");
  if (host.empty()) return error("no host");
  const bool remote_http = scheme == "http" && !IsLoopbackHost(host);
  if (remote_http && !allow_remote_http) {
    return error("needs https:// (plain http is only allowed to a loopback host)");
  }
  if (plain_http_remote) *plain_http_remote = remote_http;
  return absl::OkStatus();
}

absl::Status MapHttpAnswer(absl::string_view who, CURLcode code, long http) {
  using absl::StatusCode;
  if (code != CURLE_OK) {
    const ChannelErrorReason reason = common::IsCurlTlsError(code) ? ChannelErrorReason::kTls
                                      : code == CURLE_OPERATION_TIMEDOUT
                                          ? ChannelErrorReason::kTimeout
                                          : ChannelErrorReason::kUnavailable;
    return ChannelError(StatusCode::kUnavailable, reason, 0,
                        absl::StrCat(who, ": ", curl_easy_strerror(code),
                                     reason == ChannelErrorReason::kTls
                                         ? " (server certificate not accepted or TLS failed)"
                                         : ""));
  }
  if (http >= 200 && http < 300) return absl::OkStatus();
  const std::string what = absl::StrCat(who, " answered HTTP ", http);
  if (http == 401 || http == 403) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kAuth, http,
                        absl::StrCat(what, ": credentials or signature refused"));
  }
  if (http == 429)
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kThrottled, http, what);
  if (http == 408 || http >= 500) {
    return ChannelError(StatusCode::kUnavailable, ChannelErrorReason::kUnavailable, http, what);
  }
  return ChannelError(StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, http, what);
}

}  // namespace dermaflow::notification
