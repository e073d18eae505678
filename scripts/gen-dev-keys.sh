#!/usr/bin/env bash
# Writes JWT keys for local runs and tests into <dir>, keeping any that exist
# (so re-running never invalidates tokens already minted):
#   jwt_hs256.key          HS256 shared secret (64 hex chars)
#   jwt_rs256_private.pem  RS256 private key (PKCS#8, 2048 bits) for minting
#   jwt_rs256_public.pem   its public key, for --jwt_rs256_public_key_file
#   service_identity.key   the service-identity private key (EC P-256), for
#                          --service_token_key_file (notification, scheduling)
#   service_identity.pub   its public key, for --service_token_public_key_file
# Development only: production keys come from the identity provider.
#
#   scripts/gen-dev-keys.sh .dev-keys
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <dir>" >&2
  exit 2
fi
dir=$1
umask 077
mkdir -p "$dir"

hs256="$dir/jwt_hs256.key"
private="$dir/jwt_rs256_private.pem"
public="$dir/jwt_rs256_public.pem"

# Each file is written beside its target and renamed, so an interrupted run
# never leaves a half-written key behind.
if [[ ! -s "$hs256" ]]; then
  openssl rand -hex 32 >"$hs256.tmp"
  mv "$hs256.tmp" "$hs256"
fi
if [[ ! -s "$private" ]]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$private.tmp" 2>/dev/null
  mv "$private.tmp" "$private"
  rm -f "$public"  # a new private key needs a new public key
fi
if [[ ! -s "$public" ]]; then
  openssl pkey -in "$private" -pubout -out "$public.tmp"
  chmod 644 "$public.tmp"
  mv "$public.tmp" "$public"
fi

echo "--jwt_hs256_key_file=$hs256"
echo "--jwt_rs256_public_key_file=$public"
service_private="$dir/service_identity.key"
service_public="$dir/service_identity.pub"
if [[ ! -s "$service_private" ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$service_private.tmp" 2>/dev/null
  mv "$service_private.tmp" "$service_private"
  rm -f "$service_public"
fi
if [[ ! -s "$service_public" ]]; then
  openssl pkey -in "$service_private" -pubout -out "$service_public.tmp"
  chmod 644 "$service_public.tmp"
  mv "$service_public.tmp" "$service_public"
fi
