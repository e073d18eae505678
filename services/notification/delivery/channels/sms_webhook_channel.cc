#include "services/notification/delivery/channels/sms_webhook_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {
namespace {

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

std::string Quoted(const std::string& s) { return absl::StrCat("\"", common::JsonEscape(s), "\""); }

}  // namespace

std::string HmacSha256Hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xf]);
  }
  return hex;
}

std::string SmsWebhookBody(const OutgoingMessage& m) {
  return absl::StrCat("{\"reminder_id\":", Quoted(m.reminder_id),
                      ",\"organization\":", Quoted(m.organization), ",\"to\":", Quoted(m.address),
                      ",\"text\":", Quoted(m.body), ",\"locale\":", Quoted(m.locale),
                      ",\"kind\":", Quoted(KindLabel(m.kind)), "}");
}

absl::Status SmsWebhookChannel::Send(const OutgoingMessage& m) {
  if (m.address.empty()) {
    return ChannelError(absl::StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, 0,
                        "sms: phone number missing");
  }
  common::CurlHandles::Lease curl = handles_.Acquire();
  if (!curl.get()) return absl::ResourceExhaustedError("sms: no curl handle");
  const std::string body = SmsWebhookBody(m);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(
      headers,
      absl::StrCat("X-Dermaflow-Signature: sha256=", HmacSha256Hex(options_.secret, body)).c_str());
  headers = curl_slist_append(headers, absl::StrCat("Idempotency-Key: ", m.reminder_id).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Discard);
  common::SetCurlTimeouts(h, options_.timeout);
  common::SetCurlTlsVerification(h, "");
  const CURLcode code = curl_easy_perform(h);
  long http = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http);
  curl_slist_free_all(headers);
  return MapHttpAnswer("sms gateway", code, http);
}

}  // namespace dermaflow::notification
