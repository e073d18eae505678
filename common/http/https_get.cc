#include "common/http/https_get.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/http/curl_easy.h"

namespace dermaflow::common {

absl::StatusOr<std::string> HttpsGet(const std::string& url, const HttpsGetOptions& options) {
  static CurlHandles handles;
  CurlHandles::Lease curl = handles.Acquire();
  if (!curl.get()) return absl::InternalError("curl_easy_init failed");
  char error[CURL_ERROR_SIZE] = {0};
  BoundedBody body(options.max_bytes, /*abort_when_full=*/true);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  SetCurlTimeouts(curl.get(), options.timeout);
  SetCurlTlsVerification(curl.get(), options.ca_file);
  body.AttachTo(curl.get());
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc == CURLE_WRITE_ERROR) {
    return absl::UnavailableError(absl::StrCat("fetching ", url, " failed: answer larger than ",
                                               options.max_bytes, " bytes"));
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("fetching ", url, " failed: ", error[0] ? error : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("fetching ", url, " answered HTTP ", status));
  }
  return body.text();
}

}  // namespace dermaflow::common
