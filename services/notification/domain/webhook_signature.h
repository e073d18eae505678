// The signature of the SMS webhook provider's posts, both ways: what
// notification puts on its outgoing messages and checks on the replies the
// gateway posts back (X-Dermaflow-Signature).
//
//   headers.push_back("X-Dermaflow-Signature: " + WebhookSignature(secret, body));
#pragma once

#include <string>
#include <string_view>

namespace dermaflow::notification {

// "sha256=" and the lower-case hex HMAC-SHA256 of `body` under `secret`.
std::string WebhookSignature(std::string_view secret, std::string_view body);

}  // namespace dermaflow::notification
