#!/usr/bin/env bash
# Installs everything dermaflow needs to build, test and run, from Debian
# packages and npm only. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev libhiredis-dev prometheus-cpp-dev libcivetweb-dev libssl-dev
  libcurl4-openssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools tzdata ca-certificates curl
  prometheus yamllint python3 python3-yaml libfaketime
  python3-aiosmtpd openssl
  libcli11-dev clang-format clang-tidy
  golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Machines of this kind ship Node.js with its own npm; Debian's npm conflicts
# with that build, so node and npm come from Debian only when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "install-deps: apt packages to install: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The redis-server package starts a system instance; we never use it.
if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server || true
fi

# npm tools (buf, google-proto-files, grpc-js, ajv) live in tools/node.
if [[ ! -d tools/node/node_modules/@bufbuild/buf ]] || [[ tools/node/package.json -nt tools/node/node_modules ]]; then
  echo "install-deps: npm packages"
  (cd tools/node && npm install --no-audit --no-fund --loglevel=error)
  touch tools/node/node_modules
fi
