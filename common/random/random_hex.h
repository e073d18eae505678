// Random identifiers: 128 bits from a per-thread generator seeded by the OS,
// as 32 hex digits. For uniqueness (ids, lock tokens, ledger entries), not
// for secrets (those use OpenSSL's RAND_bytes).
//
//   patient.set_id(RandomHex128());  // "3f9c1d0b7e2a4c58a1b29d0e4f6a7b8c"
#pragma once

#include <string>

namespace dermaflow::common {

std::string RandomHex128();

}  // namespace dermaflow::common
