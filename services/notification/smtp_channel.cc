#include "services/notification/smtp_channel.h"

#include <openssl/evp.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace dermaflow::notification {
namespace {

std::string Base64(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(n);
  return out;
}

// The address inside "Name <address>", or the whole string.
std::string BareAddress(const std::string& mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data->size() - upload->offset);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

}  // namespace

std::string FormatEmail(const OutgoingMessage& m, const std::string& from, absl::Time now) {
  std::string body64 = Base64(m.body);
  std::string wrapped;
  for (size_t i = 0; i < body64.size(); i += 76) absl::StrAppend(&wrapped, body64.substr(i, 76), "\r\n");
  return absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()), "\r\n",
      "From: ", from, "\r\n",
      "To: <", m.address, ">\r\n",
      "Subject: =?UTF-8?B?", Base64(m.subject), "?=\r\n",
      "Message-ID: <", m.reminder_id, ".", m.organization, "@dermaflow>\r\n",
      "X-Dermaflow-Reminder-Id: ", m.reminder_id, "\r\n",
      "MIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\n",
      "Content-Language: ", m.locale, "\r\n",
      "Content-Transfer-Encoding: base64\r\n",
      "\r\n", wrapped);
}

absl::Status SmtpChannel::Send(const OutgoingMessage& m) {
  if (m.address.empty() || m.address.find_first_of("<>\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("e-mail address missing or malformed");
  }
  CurlHandles::Lease curl = handles_.Acquire();
  if (!curl.get()) return absl::ResourceExhaustedError("smtp: no curl handle");
  const std::string email = FormatEmail(m, options_.from, m.time);
  Upload upload{&email};
  const std::string mail_from = absl::StrCat("<", BareAddress(options_.from), ">");
  const std::string rcpt = absl::StrCat("<", m.address, ">");
  curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  const CURLcode code = curl_easy_perform(h);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(recipients);
  if (code == CURLE_OK) return absl::OkStatus();
  const std::string what = absl::StrCat("smtp: ", curl_easy_strerror(code), " (reply ", reply, ")");
  if (reply >= 500) return absl::FailedPreconditionError(what);
  return absl::UnavailableError(what);
}

}  // namespace dermaflow::notification
