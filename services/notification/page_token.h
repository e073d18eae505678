// Page tokens of the List RPCs: the position to resume after plus a
// fingerprint of the request's filters, so a token replayed with different
// filters is rejected (INVALID_ARGUMENT naming page_token) instead of
// silently listing something else.
//
//   std::string token = EncodePageToken(*page.next, request);
//   DF_ASSIGN_OR_RETURN(std::optional<ListCursor> after, DecodePageToken(request));
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/notification/reminder_store.h"

namespace dermaflow::notification {

// `request` is the List request the token continues (its page_token and
// page_size fields are ignored for the fingerprint).
std::string EncodePageToken(const ListCursor& cursor, const google::protobuf::Message& request);

// The cursor in request.page_token, nullopt for the first page.
absl::StatusOr<std::optional<ListCursor>> DecodePageToken(const google::protobuf::Message& request);

// page_size as the API conventions say: 0 means 50, above 500 means 500,
// negative is INVALID_ARGUMENT.
absl::StatusOr<int> PageSize(int requested);

}  // namespace dermaflow::notification
