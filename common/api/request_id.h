// request_id, which makes a create idempotent: its shape is checked in one
// place, and one fingerprint of the request tells a retry (same request,
// same id: the first result again) from a different request reusing the id
// (INVALID_ARGUMENT naming `request_id`).
//
//   ValidateRequestId(request.request_id(), violations);
//   if (stored_fingerprint != RequestFingerprint(request)) return RequestIdReusedError();
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "google/protobuf/message.h"

namespace dermaflow::common {

inline constexpr size_t kMaxRequestIdLength = 64;  // kMaxIdentifierLength

// Why `id` is not a request_id (required, at most 64 characters of
// [A-Za-z0-9._~-], which every UUID is), or nullopt when it is one.
std::optional<std::string> RequestIdProblem(std::string_view id);

// Adds RequestIdProblem(id) as a violation of `field`.
void ValidateRequestId(std::string_view id, FieldViolations& violations,
                       std::string_view field = "request_id");

// SHA-1 (hex) of `message`'s canonical bytes without request_id, page_size,
// page_token and validate_only: equal for a retry of the same request.
std::string RequestFingerprint(const google::protobuf::Message& message);

// INVALID_ARGUMENT naming `request_id`: it was used before for a different
// request.
absl::Status RequestIdReusedError();

}  // namespace dermaflow::common
