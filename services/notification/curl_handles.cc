#include "services/notification/curl_handles.h"

namespace dermaflow::notification {

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

}  // namespace dermaflow::notification
