// Reads the key files named by --jwt_hs256_key_file and
// --jwt_rs256_public_key_file (and the private keys tools mint with), failing
// early with a message that names the file, never its contents.
//
//   DF_ASSIGN_OR_RETURN(std::string secret, ReadHs256SecretFile("/keys/hs256.key"));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

// HS256 needs at least 256 bits of secret (RFC 7518 §3.2).
inline constexpr size_t kMinHs256SecretBytes = 32;

// The whole file minus trailing whitespace (so `echo`-written files work);
// INVALID_ARGUMENT when shorter than kMinHs256SecretBytes.
absl::StatusOr<std::string> ReadHs256SecretFile(const std::string& path);

// The same as a JwsKey (what verifiers and ServiceTokenSource take).
absl::StatusOr<JwsKey> ReadHs256Key(const std::string& path);

// A whole file; INVALID_ARGUMENT "cannot read <what> <path>" when it cannot.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path, const std::string& what);

// A PEM file as is; INVALID_ARGUMENT when it holds no PEM block.
absl::StatusOr<std::string> ReadPemFile(const std::string& path);

}  // namespace dermaflow::common
