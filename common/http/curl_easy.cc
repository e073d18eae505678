#include "common/http/curl_easy.h"

#include <algorithm>

namespace dermaflow::common {

CurlHandles::CurlHandles() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHandles::~CurlHandles() {
  for (CURL* h : idle_) curl_easy_cleanup(h);
}

CurlHandles::Lease CurlHandles::Acquire() {
  CURL* handle = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      handle = idle_.back();
      idle_.pop_back();
    }
  }
  if (handle) {
    curl_easy_reset(handle);
  } else {
    handle = curl_easy_init();
  }
  return Lease(this, handle);
}

void CurlHandles::Release(CURL* handle) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

void SetCurlTlsVerification(CURL* handle, const std::string& ca_file) {
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(handle, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str());
}

void SetCurlTimeouts(CURL* handle, absl::Duration timeout) {
  const long ms = static_cast<long>(absl::ToInt64Milliseconds(timeout));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, std::max(1L, ms / 2));
}

bool IsCurlTlsError(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

void BoundedBody::AttachTo(CURL* handle) {
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &BoundedBody::Write);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, this);
}

size_t BoundedBody::Write(char* data, size_t size, size_t count, void* self) {
  auto* body = static_cast<BoundedBody*>(self);
  const size_t n = size * count;
  const size_t room = body->max_bytes_ - std::min(body->max_bytes_, body->text_.size());
  if (n > room && body->abort_when_full_) return 0;  // libcurl aborts the transfer
  body->text_.append(data, std::min(n, room));
  return n;
}

}  // namespace dermaflow::common
