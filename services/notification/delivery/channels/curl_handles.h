// A small pool of libcurl easy handles, so concurrent senders reuse
// connections (keep-alive to the SMS provider, SMTP sessions) instead of
// opening one per message, plus the options every channel sets the same way
// (timeouts, certificate verification). Shared by the SMTP, webhook and
// Twilio channels.
//
//   CurlHandles handles;
//   CurlHandles::Lease curl = handles.Acquire();  // returned on scope exit
//   curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
//   SetCurlTlsVerification(curl.get(), ca_file);
#pragma once

#include <curl/curl.h>

#include <mutex>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dermaflow::notification {

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

  // A reset handle (options cleared, connections kept); nullptr-safe callers
  // check get() for out-of-memory.
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

// A handshake or certificate failure (a configuration problem, not a
// rejected message).
bool IsCurlTlsError(CURLcode code);

}  // namespace dermaflow::notification
