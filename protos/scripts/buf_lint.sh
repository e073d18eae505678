#!/usr/bin/env bash
# Lints the dermaflow protos with buf (rules in protos/buf.yaml). Stages the
# google/* dependencies first. The exit code is the test result.
#
# Usage: protos/scripts/buf_lint.sh [extra buf lint flags]
set -euo pipefail

protos_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_root=$(cd "$protos_dir/.." && pwd)
buf=$repo_root/tools/node/node_modules/.bin/buf

if [[ ! -x $buf ]]; then
  echo "buf_lint: $buf not found; run scripts/install-deps.sh" >&2
  exit 1
fi
"$protos_dir/scripts/stage_google_protos.sh" "$protos_dir/.third_party"
cd "$protos_dir"
"$buf" lint "$@"
