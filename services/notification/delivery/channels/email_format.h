// The RFC 5322 / MIME form of a reminder e-mail: UTF-8 plain text in base64
// (lines of 76), the subject and a non-ASCII sender name as RFC 2047 encoded
// words, a Message-ID made of the reminder's idempotency key so a redelivery
// is the same message, and `Auto-Submitted: auto-generated` so no auto-reply loops back.
// Pure, so the exact bytes are unit-tested.
//
//   std::string mail = FormatEmail(message, "Praxis Mitte <praxis@clinic.example>");
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/time/time.h"
#include "services/notification/delivery/channels/channel.h"

namespace dermaflow::notification {

// The whole message (headers, blank line, body) with CRLF line ends; every
// line is at most 78 characters. `from` is --smtp_from.
std::string FormatEmail(const OutgoingMessage& message, absl::string_view from);

// RFC 5322 date-time in UTC: "Tue, 17 Mar 2026 09:00:00 +0000".
std::string Rfc5322Date(absl::Time time);

// "<IdempotencyKey(organization, reminder id)>@<domain of from>": stable per
// reminder, and the key the other channels send.
std::string EmailMessageId(const OutgoingMessage& message, absl::string_view from);

// A header's value: unchanged when printable ASCII that fits the line;
// otherwise RFC 2047 "=?UTF-8?B?...?=" words (never splitting a UTF-8
// character), folded so `name: value` lines stay within 78 characters.
std::string EncodeHeaderValue(absl::string_view name, absl::string_view value);

// "Name <address>" with a non-ASCII name encoded (RFC 2047).
std::string EncodeMailbox(absl::string_view mailbox);

// Base64 of `data` in lines of 76 characters, each ending in CRLF.
std::string Base64Lines(absl::string_view data);

}  // namespace dermaflow::notification
