// Action tokens: what a patient's link ("confirm your appointment") or SMS
// reply carries instead of a login. A token grants one action on one
// appointment or offer of one organization until it expires, and nothing
// else; it is sealed (sealed_box.h) under a secret the minting service
// (notification) and the opening service (scheduling) share through Redis,
// so a patient can neither read nor change what it says. Single use is the
// opener's job: the token id is the key of its replay ledger.
//
//   ActionTokenCodec codec([&redis] { return LoadActionTokenSecret(redis); });
//   DF_ASSIGN_OR_RETURN(std::string token, codec.Mint({.organization = "acme",
//       .action = "CONFIRM", .subject_id = appointment_id, .expire_time = start}));
//   DF_ASSIGN_OR_RETURN(ActionClaims claims, codec.Open(token, clock.Now()));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/page_token_secret.h"

namespace dermaflow::common {

// ErrorInfo reasons of Open's UNAUTHENTICATED answers, for patient apps to
// switch on ("this link is not valid" vs "this link has expired").
inline constexpr std::string_view kActionTokenInvalid = "ACTION_TOKEN_INVALID";
inline constexpr std::string_view kActionTokenExpired = "ACTION_TOKEN_EXPIRED";

struct ActionClaims {
  std::string organization;
  std::string action;      // e.g. "CONFIRM": the opener names its actions
  std::string subject_id;  // the appointment or offer the action is on
  std::string token_id;    // random, set by Mint: the replay ledger's key
  absl::Time expire_time = absl::InfinitePast();
};

class ActionTokenCodec {
 public:
  explicit ActionTokenCodec(CachedSecret::Source secret);

  // A web-safe base64 token (about 160 characters) for `claims`, with a
  // fresh token_id. INVALID_ARGUMENT when a claim is empty.
  absl::StatusOr<std::string> Mint(ActionClaims claims) const;

  // The claims of a token Mint made. UNAUTHENTICATED with ErrorInfo reason
  // ACTION_TOKEN_INVALID for anything else (altered, forged, truncated) and
  // ACTION_TOKEN_EXPIRED once `now` reached its expire_time.
  absl::StatusOr<ActionClaims> Open(std::string_view token, absl::Time now) const;

 private:
  // The key derived from the secret, derived once and kept (every message
  // with links mints several tokens).
  CachedSecret key_;
};

}  // namespace dermaflow::common
