#include "common/http/http_post.h"

#include "absl/strings/str_cat.h"

namespace dermaflow::common {

HttpExchange HttpPost(CurlHandles& handles, const HttpPostRequest& request) {
  HttpExchange exchange;
  CurlHandles::Lease curl = handles.Acquire();
  if (!curl.get()) {
    exchange.code = CURLE_OUT_OF_MEMORY;
    return exchange;
  }
  curl_slist* headers = nullptr;
  headers =
      curl_slist_append(headers, absl::StrCat("Content-Type: ", request.content_type).c_str());
  for (const std::string& header : request.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  BoundedBody answer(request.max_answer_bytes);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  if (!request.basic_auth_user.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, request.basic_auth_user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.basic_auth_password.c_str());
  }
  answer.AttachTo(h);
  SetCurlTimeouts(h, request.timeout);
  SetCurlTlsVerification(h, "");
  exchange.code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &exchange.http);
  curl_slist_free_all(headers);
  exchange.answer = answer.text();
  return exchange;
}

}  // namespace dermaflow::common
