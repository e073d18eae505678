// A small pool of libcurl easy handles, so concurrent senders reuse
// connections (keep-alive to the SMS gateway, SMTP sessions) instead of
// opening one per message. Shared by the SMTP and webhook channels.
//
//   CurlHandles handles;
//   CurlHandles::Lease curl = handles.Acquire();  // returned on scope exit
//   curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
#pragma once

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace dermaflow::notification {

class CurlHandles {
 public:
  class Lease {
   public:
    Lease(CurlHandles* owner, CURL* handle) : owner_(owner), handle_(handle) {}
    Lease(Lease&& other) noexcept : owner_(other.owner_), handle_(other.handle_) { other.handle_ = nullptr; }
    Lease(const Lease&) = delete;
    ~Lease() { if (handle_) owner_->Release(handle_); }
    CURL* get() const { return handle_; }

   private:
    CurlHandles* owner_;
    CURL* handle_;
  };

  CurlHandles();  // runs curl_global_init once per process
  ~CurlHandles();

  // A reset handle (options cleared, connections kept); nullptr-safe callers
  // check get() for out-of-memory.
  Lease Acquire();

 private:
  void Release(CURL* handle);

  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace dermaflow::notification
