// The idempotency key every delivery attempt of a reminder carries (the
// webhook's and the SMS provider's `Idempotency-Key`, Twilio's
// `I-Twilio-Idempotency-Token`, the e-mail's Message-ID), so a provider that
// deduplicates drops the copy a crash or a retry sends again. Stable per
// reminder, different for any other reminder, also of another organization
// sharing the provider; made of ids only, never of patient data.
//
//   std::string key = IdempotencyKey("demo", "a1b2c3d4e5f60718");  // "df1-9c0e…" (36 chars)
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace dermaflow::notification {

// "df1-" + 32 lower-case hex characters: the first 128 bits of SHA-256 over
// a versioned, length-prefixed encoding of the organization and reminder id.
std::string IdempotencyKey(absl::string_view organization, absl::string_view reminder_id);

}  // namespace dermaflow::notification
