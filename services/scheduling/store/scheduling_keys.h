// The Redis key layout of scheduling, built only through common/redis/keys.h
// (`df:{org}:...`, so every key of a tenant shares one hash slot and the Lua
// scripts can change them atomically). docs/scheduling.md shows the layout.
//
//   DF_ASSIGN_OR_RETURN(std::string key, keys::Appointment(org, id));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dermaflow::scheduling::keys {

// Clinics, practitioners, rooms: hash {pb, etag} per resource and a set of
// the organization's ids per kind (kind = "clinic", "practitioner", "room").
absl::StatusOr<std::string> Resource(const std::string& org, absl::string_view kind,
                                     const std::string& id);
absl::StatusOr<std::string> ResourceIds(const std::string& org, absl::string_view kind);
// Hash of unique names: practitioner subject -> id, "<clinic>/<room name>" -> id.
absl::StatusOr<std::string> UniqueNames(const std::string& org, absl::string_view what);

// A create's request_id record "<fingerprint>\n<result id>" (the id is hashed,
// so any request_id fits in a key).
absl::StatusOr<std::string> Request(const std::string& org, absl::string_view rpc,
                                    const std::string& request_id);

// Appointment hash {pb, etag, occupied}.
absl::StatusOr<std::string> Appointment(const std::string& org, const std::string& id);
// Busy calendar of a "practitioner", "room" or "patient" (see lua/calendar.lua).
absl::StatusOr<std::string> Busy(const std::string& org, absl::string_view owner,
                                 const std::string& id);
// Listing of all appointments of a "clinic", "practitioner", "room" or
// "patient": sorted set scored by start, member = appointment id.
absl::StatusOr<std::string> Appointments(const std::string& org, absl::string_view owner,
                                         const std::string& id);

// A used patient action token (action_ledger.h); the id is the token's
// random, web-safe base64 token_id.
absl::StatusOr<std::string> UsedActionToken(const std::string& org, const std::string& token_id);
// Appointments whose confirmation needs the sweeper: sorted set scored by
// when (unix seconds; request_time or answer_deadline), member = id. An
// early score is harmless (the sweeper re-scores), so only writes that move
// the time later must keep it exact; every appointment write does.
absl::StatusOr<std::string> ConfirmationChecks(const std::string& org);

// Course hash {pb, etag}.
absl::StatusOr<std::string> Course(const std::string& org, const std::string& id);
// Courses of a "patient" or "clinic": sorted set scored by create time.
absl::StatusOr<std::string> Courses(const std::string& org, absl::string_view owner,
                                    const std::string& id);

// The waitlist (docs/scheduling.md, "Waitlist"):
// entry hash {pb, state, etag, version, offer, appointment};
absl::StatusOr<std::string> WaitlistEntry(const std::string& org, const std::string& id);
// every entry of the organization, sorted set scored by create time (ms);
absl::StatusOr<std::string> WaitlistEntries(const std::string& org);
// the entries of one clinic and protocol still able to book (what matching
// scans, earliest first), scored by create time (ms);
absl::StatusOr<std::string> WaitlistIndex(const std::string& org, const std::string& clinic_id,
                                          const std::string& protocol_id);
// freed slot hash {clinic, practitioner, protocol, start, end, freed_at,
// state, round, hold_until, room, offers, offered, appointment};
absl::StatusOr<std::string> WaitlistSlot(const std::string& org, const std::string& slot_id);
// slots with something to do (a hold running out, a round to offer),
// scored by when;
absl::StatusOr<std::string> WaitlistDue(const std::string& org);
// offer hash {pb, state, room, slot, entry, appointment};
absl::StatusOr<std::string> WaitlistOffer(const std::string& org, const std::string& id);
// offers of the organization ("all", id "-"), of an "entry" or of a "slot",
// scored by when made (s).
absl::StatusOr<std::string> WaitlistOffers(const std::string& org, absl::string_view owner,
                                           const std::string& id);

}  // namespace dermaflow::scheduling::keys
