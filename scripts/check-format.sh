#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted as .clang-format says
# (Google style, 100 columns). Exit 0 when nothing would change; else lists
# each file that drifts (with clang-format's first differences) and exits 1.
# Fix: clang-format -i $(git ls-files '*.cc' '*.h')
#
# Usage: scripts/check-format.sh [FILE...]   (default: all tracked *.cc, *.h)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format not found; run scripts/install-deps.sh" >&2
  exit 2
fi
if (($#)); then
  files=("$@")
else
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    { echo "check-format: not a git checkout; name the files to check" >&2; exit 2; }
  mapfile -t files < <(git ls-files '*.cc' '*.h')
fi

drift=()
for f in "${files[@]}"; do
  if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    drift+=("$f")
  fi
done
if ((${#drift[@]} == 0)); then
  echo "check-format: ${#files[@]} files formatted"
  exit 0
fi
for f in "${drift[@]}"; do
  echo "check-format: $f"
  clang-format --style=file --dry-run "$f" 2>&1 | grep -m 3 'warning:' | sed 's/^/    /' || true
done
echo "check-format: ${#drift[@]} of ${#files[@]} files differ from .clang-format" \
     "(clang-format -i FILE fixes them)" >&2
exit 1
