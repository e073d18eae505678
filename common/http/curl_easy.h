// libcurl easy handles as every caller in the suite sets them up: a small
// pool so concurrent senders reuse connections (keep-alive to the SMS
// provider, SMTP sessions) instead of opening one per message, TLS
// verification, timeouts and a bounded response body. Used by the delivery
// channels and the JWKS fetch.
//
//   CurlHandles handles;
//   CurlHandles::Lease curl = handles.Acquire();  // returned on scope exit
//   curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
//   SetCurlTlsVerification(curl.get(), ca_file);
//   SetCurlTimeouts(curl.get(), absl::Seconds(10));
//   BoundedBody body(64 * 1024);
//   body.AttachTo(curl.get());
#pragma once

#include <curl/curl.h>

#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace dermaflow::common {

class CurlHandles {
 public:
  class Lease {
   public:
    Lease(CurlHandles* owner, CURL* handle) : owner_(owner), handle_(handle) {}
    Lease(Lease&& other) noexcept : owner_(other.owner_), handle_(other.handle_) {
      other.handle_ = nullptr;
    }
    Lease(const Lease&) = delete;
    ~Lease() {
      if (handle_) owner_->Release(handle_);
    }
    CURL* get() const { return handle_; }

   private:
    CurlHandles* owner_;
    CURL* handle_;
  };

  CurlHandles();  // runs curl_global_init once per process
  ~CurlHandles();

  // A reset handle (options cleared, connections kept); callers check get()
  // for out-of-memory.
  Lease Acquire();

 private:
  void Release(CURL* handle);

  std::mutex mu_;
  std::vector<CURL*> idle_;
};

// Peer and host name verified, TLS 1.2 or newer, against `ca_file` (PEM)
// or the system CAs when empty.
void SetCurlTlsVerification(CURL* handle, const std::string& ca_file);

// The whole transfer within `timeout`, connecting within half of it; no
// signals (worker threads).
void SetCurlTimeouts(CURL* handle, absl::Duration timeout);

// A handshake or certificate failure (a configuration problem, not a
// rejected request).
bool IsCurlTlsError(CURLcode code);

// Collects a response body up to `max_bytes`; past that the transfer is
// aborted (CURLE_WRITE_ERROR) when `abort_when_full`, else the rest is
// dropped (an error page's head is enough for a log line).
class BoundedBody {
 public:
  explicit BoundedBody(size_t max_bytes, bool abort_when_full = false)
      : max_bytes_(max_bytes), abort_when_full_(abort_when_full) {}
  void AttachTo(CURL* handle);
  const std::string& text() const { return text_; }

 private:
  static size_t Write(char* data, size_t size, size_t count, void* self);

  size_t max_bytes_;
  bool abort_when_full_;
  std::string text_;
};

}  // namespace dermaflow::common
