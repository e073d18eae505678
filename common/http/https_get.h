// One HTTPS GET with certificate verification, a deadline and a size limit,
// for small documents fetched now and then (the identity provider's JWKS).
//
//   DF_ASSIGN_OR_RETURN(std::string jwks,
//                       HttpsGet(url, {.ca_file = ca, .timeout = absl::Seconds(5)}));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::common {

struct HttpsGetOptions {
  std::string ca_file;  // PEM; the system CAs when empty
  absl::Duration timeout = absl::Seconds(5);
  size_t max_bytes = size_t{1} << 20;
};

// The body of a 200 answer. UNAVAILABLE naming the URL on network and TLS
// failures, other HTTP statuses and bodies over max_bytes.
absl::StatusOr<std::string> HttpsGet(const std::string& url, const HttpsGetOptions& options);

}  // namespace dermaflow::common
