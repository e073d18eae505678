#!/usr/bin/env bash
# Keeps the API wire-compatible: `buf breaking` (rules in protos/buf.yaml,
# category FILE) compares the protos in the working tree with those of an
# earlier commit, by default the previous one (HEAD~1). The exit code is the
# test result; it never skips: outside a git checkout, or when the commit to
# compare with is missing (a shallow clone), it fails and says why.
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
against=$(git -C "$repo_root" rev-parse --verify --quiet "$ref^{commit}") ||
  fail "commit '$ref' is not in this clone (a shallow clone? 'git fetch --deepen=1' or clone" \
       "with full history), so the protos cannot be compared with it"
git -C "$repo_root" cat-file -e "$against:protos/buf.yaml" 2>/dev/null ||
  fail "commit '$ref' ($against) has no protos/buf.yaml to compare with"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$repo_root" archive "$against" protos | tar -x -C "$tmp"
"$protos_dir/scripts/stage_google_protos.sh" "$protos_dir/.third_party"
"$protos_dir/scripts/stage_google_protos.sh" "$tmp/protos/.third_party"

cd "$protos_dir"
echo "buf_breaking: protos/ against ${ref} (${against:0:12})"
"$buf" breaking --against "$tmp/protos"
echo "buf_breaking: no breaking change"
