#!/usr/bin/env bash
# Keeps the API wire-compatible: `buf breaking` (rules in protos/buf.yaml,
# category FILE) compares the protos in the working tree with those of an
# earlier commit, by default the previous one (HEAD~1). The exit code is the
# test result; it never skips. It also compares with the committed API
# baseline (protos/api_baseline.binpb.gz, the v1 contract as first released;
# refresh only with scripts/update_api_baseline.sh), which is all a shallow
# clone without the earlier commit can be checked against (after trying
# `git fetch --deepen=1`). Outside a git checkout it fails and says why.
#
# Usage: protos/scripts/buf_breaking.sh [REF]
#   REF (or DERMAFLOW_BUF_AGAINST): the commit to compare with, default HEAD~1;
#   e.g. origin/main to check a whole branch before merging it.
#
# The earlier protos are exported with `git archive` into a temporary folder
# and given the same staged google/* protos: buf's own git input
# ('.git#ref=...,subdir=protos') cannot work here, because the staged module
# (.third_party) is gitignored and so absent from the commit.
set -euo pipefail

protos_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_root=$(cd "$protos_dir/.." && pwd)
buf=$repo_root/tools/node/node_modules/.bin/buf
ref=${1:-${DERMAFLOW_BUF_AGAINST:-HEAD~1}}

fail() {
  echo "buf_breaking: $*" >&2
  exit 1
}

[[ -x $buf ]] || fail "$buf not found; run scripts/install-deps.sh"
git -C "$repo_root" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  fail "$repo_root is not a git checkout, so there is no earlier commit to compare the protos" \
       "with; run it in a clone (git clone, not an exported tarball)"
"$protos_dir/scripts/stage_google_protos.sh" "$protos_dir/.third_party"
cd "$protos_dir"

baseline=$protos_dir/api_baseline.binpb.gz
[[ -f $baseline ]] || fail "$baseline is missing; scripts/update_api_baseline.sh makes it"
echo "buf_breaking: protos/ against the committed API baseline"
"$buf" breaking --path dermaflow --against "$baseline"

against=$(git -C "$repo_root" rev-parse --verify --quiet "$ref^{commit}") ||
  { git -C "$repo_root" fetch --quiet --deepen=1 2>/dev/null &&
    against=$(git -C "$repo_root" rev-parse --verify --quiet "$ref^{commit}"); } ||
  against=""
if [[ -z $against ]]; then
  echo "buf_breaking: commit '$ref' is not in this clone (shallow, and it could not be" \
       "fetched): checked against the API baseline only"
  echo "buf_breaking: no breaking change"
  exit 0
fi
git -C "$repo_root" cat-file -e "$against:protos/buf.yaml" 2>/dev/null ||
  fail "commit '$ref' ($against) has no protos/buf.yaml to compare with"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$repo_root" archive "$against" protos | tar -x -C "$tmp"
"$protos_dir/scripts/stage_google_protos.sh" "$tmp/protos/.third_party"

echo "buf_breaking: protos/ against ${ref} (${against:0:12})"
"$buf" breaking --against "$tmp/protos"
echo "buf_breaking: no breaking change"
