#include "services/notification/delivery/channels/email_format.h"

#include <openssl/evp.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/notification/delivery/channels/smtp_config.h"
#include "services/notification/domain/idempotency_key.h"

namespace dermaflow::notification {
namespace {

constexpr size_t kMaxLine = 78;

std::string Base64(absl::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(n);
  return out;
}

bool IsPlainAscii(absl::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return s.find("=?") == absl::string_view::npos;
}

// Bytes of `s` from `start` that fit `max_bytes` without cutting a UTF-8
// sequence (continuation bytes are 10xxxxxx).
size_t Utf8Prefix(absl::string_view s, size_t start, size_t max_bytes) {
  size_t n = std::min(max_bytes, s.size() - start);
  if (start + n == s.size()) return n;
  while (n > 0 && (static_cast<unsigned char>(s[start + n]) & 0xC0) == 0x80) --n;
  return n;
}

// "\n" and lone "\r" become CRLF: MIME's canonical form of text.
std::string CanonicalLineEnds(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 20);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string DomainOf(absl::string_view from) {
  const std::string address = BareAddress(from);
  const size_t at = address.rfind('@');
  if (at == std::string::npos || at + 1 == address.size()) return "dermaflow.invalid";
  return address.substr(at + 1);
}

}  // namespace

std::string Base64Lines(absl::string_view data) {
  const std::string encoded = Base64(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76)
    absl::StrAppend(&out, encoded.substr(i, 76), "\r\n");
  return out;
}

std::string Rfc5322Date(absl::Time time) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", time, absl::UTCTimeZone());
}

std::string EmailMessageId(const OutgoingMessage& m, absl::string_view from) {
  return absl::StrCat("<", IdempotencyKey(m.organization, m.reminder_id), "@", DomainOf(from), ">");
}

std::string EncodeHeaderValue(absl::string_view name, absl::string_view value) {
  const size_t first_budget = kMaxLine - name.size() - 2;  // "Name: "
  if (IsPlainAscii(value) && value.size() <= first_budget) return std::string(value);
  std::string out;
  size_t pos = 0;
  size_t budget = first_budget;
  do {
    // An encoded word is 12 characters of frame plus 4 per 3 bytes, and at
    // most 75 characters long (RFC 2047 section 2).
    const size_t word = std::min<size_t>(budget, 75);
    const size_t max_bytes = word > 12 ? (word - 12) / 4 * 3 : 3;
    size_t n = Utf8Prefix(value, pos, max_bytes);
    if (n == 0) n = std::min<size_t>(4, value.size() - pos);  // never loop on a cut
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", Base64(value.substr(pos, n)), "?=");
    pos += n;
    budget = kMaxLine - 1;  // continuation lines start with one space
  } while (pos < value.size());
  return out;
}

std::string EncodeMailbox(absl::string_view mailbox) {
  const size_t open = mailbox.rfind('<');
  if (open == absl::string_view::npos || open == 0) return std::string(mailbox);
  absl::string_view name = mailbox.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (IsPlainAscii(name)) return std::string(mailbox);
  return absl::StrCat(EncodeHeaderValue("From", name), " ", mailbox.substr(open));
}

std::string FormatEmail(const OutgoingMessage& m, absl::string_view from) {
  std::string headers = absl::StrCat(
      "Date: ", Rfc5322Date(m.time), "\r\n", "From: ", EncodeMailbox(from), "\r\n", "To: <",
      m.address, ">\r\n", "Subject: ", EncodeHeaderValue("Subject", m.subject), "\r\n",
      "Message-ID: ", EmailMessageId(m, from), "\r\n", "Auto-Submitted: auto-generated\r\n",
      "X-Dermaflow-Reminder-Id: ", m.reminder_id, "\r\n", "MIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\n", "Content-Transfer-Encoding: base64\r\n");
  if (!m.locale.empty() && IsPlainAscii(m.locale)) {
    absl::StrAppend(&headers, "Content-Language: ", m.locale, "\r\n");
  }
  return absl::StrCat(headers, "\r\n", Base64Lines(CanonicalLineEnds(m.body)));
}

}  // namespace dermaflow::notification
