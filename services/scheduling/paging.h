// Page tokens and request fingerprints.
//
// A page token names where the previous page ended (e.g. the last start time
// and id) and a fingerprint of the request's filters, so a token used with
// other filters is INVALID_ARGUMENT page_token, as the API promises. The
// same fingerprint (of a request without its request_id) tells a retried
// create from a different request reusing its request_id.
//
//   std::string token = EncodePageToken(request, {last.start, last.id});
//   DF_ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken(request));
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace dermaflow::scheduling {

// SHA1 (hex) of the deterministic serialization of `request` without its
// request_id, page_size, page_token and validate_only fields.
std::string RequestFingerprint(const google::protobuf::Message& request);

// A token for the page after `cursor`: the fingerprint and the parts, each
// web-safe base64, joined by '.'.
std::string EncodePageToken(const google::protobuf::Message& request,
                            const std::vector<std::string>& cursor);

// The cursor in request.page_token (empty for the first page), checked
// against the request's filters; INVALID_ARGUMENT page_token otherwise.
absl::StatusOr<std::vector<std::string>> DecodePageToken(const google::protobuf::Message& request,
                                                         size_t cursor_parts);

// One page of `sorted` (ascending by `key(item)`, a vector of strings
// compared part by part): the items after `cursor` (all for an empty one),
// at most `page_size`. `next_cursor` is the last item's key when more
// follow, else empty.
template <typename T, typename KeyFn>
std::vector<T> TakePage(const std::vector<T>& sorted, const std::vector<std::string>& cursor,
                        int page_size, KeyFn key, std::vector<std::string>* next_cursor) {
  std::vector<T> page;
  next_cursor->clear();
  for (const T& item : sorted) {
    if (!cursor.empty() && !(cursor < key(item))) continue;
    if (static_cast<int>(page.size()) == page_size) {
      *next_cursor = key(page.back());
      break;
    }
    page.push_back(item);
  }
  return page;
}

}  // namespace dermaflow::scheduling
