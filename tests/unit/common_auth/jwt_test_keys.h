// Keys and hand-made tokens for the auth tests: RSA key pairs made with
// OpenSSL in memory, and HS256/unsigned tokens with any header and claims
// (for the malformed cases MintJwt will not produce).
//
//   RsaKeyPair keys = GenerateRsaKeyPair();
//   std::string token = HandSignedHs256(R"({"alg":"HS256"})", R"({"exp":"soon"})", secret);
#pragma once

#include <string>

namespace dermaflow::common::testing {

struct PemKeyPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};
using RsaKeyPair = PemKeyPair;
RsaKeyPair GenerateRsaKeyPair(int bits = 2048);
// An EC key pair on `curve` ("P-256" for ES256).
PemKeyPair GenerateEcKeyPair(const char* curve = "P-256");

std::string Base64Url(const std::string& bytes);

// header.payload.HMAC-SHA256 signature, all base64url.
std::string HandSignedHs256(const std::string& header_json, const std::string& payload_json,
                            const std::string& secret);

// header.payload. with no signature (as `alg: none` tokens are).
std::string Unsigned(const std::string& header_json, const std::string& payload_json);

}  // namespace dermaflow::common::testing
