// Server-assigned ids and etags: random, opaque, URL- and Redis-key-safe.
//
//   appointment.set_id(NewId("ap"));   // "ap_3f9c1d0b7e2a4c58a1b2"
//   appointment.set_etag(NewEtag());
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace dermaflow::scheduling {

// `prefix` + "_" + 20 random hex digits (80 bits).
std::string NewId(absl::string_view prefix);

// 16 random hex digits; changes on every write.
std::string NewEtag();

}  // namespace dermaflow::scheduling
