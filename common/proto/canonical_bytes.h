// A request's canonical bytes: deterministic serialization with the named
// fields cleared (e.g. page_token, page_size), so page tokens and idempotency
// keys can be bound to "the same request" whatever page or retry it is.
//
//   std::string key = Sha1Hex(CanonicalBytesWithout(request, {"page_token", "page_size"}));
#pragma once

#include <initializer_list>
#include <string>

#include "google/protobuf/message.h"

namespace dermaflow::common {

std::string CanonicalBytesWithout(const google::protobuf::Message& message,
                                  std::initializer_list<const char*> cleared_fields);

}  // namespace dermaflow::common
