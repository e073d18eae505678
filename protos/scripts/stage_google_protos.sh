#!/usr/bin/env bash
# Copies the few google/* protos that dermaflow imports (or whose C++ code the
# services need for error details) from the npm package google-proto-files into
# <outdir>/google/..., so that buf, protoc and CMake can use them without the
# repo vendoring them. The rest of google-proto-files does not compile on its
# own, hence the explicit list.
#
# Usage: protos/scripts/stage_google_protos.sh <outdir>
#   e.g. protos/scripts/stage_google_protos.sh protos/.third_party
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <outdir>" >&2
  exit 2
fi
outdir=$1
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=${GOOGLE_PROTO_FILES_DIR:-$repo_root/tools/node/node_modules/google-proto-files}

files=(
  google/api/field_behavior.proto
  google/rpc/code.proto
  google/rpc/error_details.proto
  google/rpc/status.proto
  google/type/date.proto
  google/type/dayofweek.proto
  google/type/interval.proto
  google/type/timeofday.proto
)

if [[ ! -d $src/google ]]; then
  echo "stage_google_protos: $src not found; run scripts/install-deps.sh (npm install in tools/node)" >&2
  exit 1
fi
for f in "${files[@]}"; do
  if [[ ! -f $src/$f ]]; then
    echo "stage_google_protos: missing $src/$f" >&2
    exit 1
  fi
  mkdir -p "$outdir/$(dirname "$f")"
  # cmp first so an unchanged file keeps its mtime (no needless rebuilds).
  if ! cmp -s "$src/$f" "$outdir/$f"; then
    install -m 0644 "$src/$f" "$outdir/$f"
  fi
done
