// Which confirmation request an SMS reply answers: when notification sends
// one by SMS it notes, under the phone number, the organization and the
// action tokens a "JA" or a "NEIN" stands for; a reply from that number
// uses them. The latest request to a number wins (that is the one the
// patient just read), and a note expires when its appointment starts.
//
//   book.Remember("+4917612345678", {"chain-a", confirm_token, cancel_token}, start);
//   DF_ASSIGN_OR_RETURN(std::optional<SmsReplyTarget> target, book.Find(from));
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::notification {

struct SmsReplyTarget {
  std::string organization;
  std::string confirm_token;
  std::string cancel_token;
};

class SmsReplyBook {
 public:
  virtual ~SmsReplyBook() = default;
  virtual absl::Status Remember(const std::string& phone, const SmsReplyTarget& target,
                                absl::Time expire_time) = 0;
  // nullopt for a number we asked nothing (or whose request expired).
  virtual absl::StatusOr<std::optional<SmsReplyTarget>> Find(const std::string& phone) = 0;

  // True the first time the provider's message id is seen (for a day):
  // a post replayed — by the provider's retry or by someone who captured
  // it — is acted on once. Forget lets a post that failed be retried.
  virtual absl::StatusOr<bool> FirstPost(const std::string& message_id) = 0;
  virtual absl::Status Forget(const std::string& message_id) = 0;
};

}  // namespace dermaflow::notification
