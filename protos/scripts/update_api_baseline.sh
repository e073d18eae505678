#!/usr/bin/env bash
# Writes protos/api_baseline.binpb.gz, the buf image of the v1 API that
# buf_breaking.sh always compares with. Refresh it only when a release
# deliberately changes what clients may rely on (never for v1 itself).
set -euo pipefail
protos_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$protos_dir/scripts/stage_google_protos.sh" "$protos_dir/.third_party"
cd "$protos_dir"
"$protos_dir/../tools/node/node_modules/.bin/buf" build --path dermaflow -o api_baseline.binpb.gz
echo "wrote $protos_dir/api_baseline.binpb.gz"
