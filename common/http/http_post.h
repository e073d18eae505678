// One HTTP(S) POST on a pooled libcurl handle, as the delivery channels send
// to SMS gateways and providers: verified TLS, a deadline, extra headers,
// optional basic auth and a bounded answer body. The caller maps the answer
// to its own errors.
//
//   HttpExchange answer = HttpPost(handles, {.url = url, .content_type = "application/json",
//                                            .body = json, .timeout = absl::Seconds(10)});
//   if (answer.code != CURLE_OK || answer.http >= 300) ...
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/http/curl_easy.h"

namespace dermaflow::common {

struct HttpPostRequest {
  std::string url;  // http:// or https:// only
  std::string content_type;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  absl::Duration timeout = absl::Seconds(10);
  std::string basic_auth_user;  // basic auth when not empty
  std::string basic_auth_password;
  size_t max_answer_bytes = 0;  // the answer body is dropped past this
};

struct HttpExchange {
  CURLcode code = CURLE_OK;  // transport result
  long http = 0;             // the HTTP status, 0 when none arrived
  std::string answer;        // up to max_answer_bytes of the body
};

HttpExchange HttpPost(CurlHandles& handles, const HttpPostRequest& request);

}  // namespace dermaflow::common
