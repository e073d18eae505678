#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root: bugprone, performance, Google
# names) over the C++ sources under the given paths and exits 1 when it
# reports anything. Takes minutes (about 10 for everything on 2 cores), so it
# is not a ctest test; common/, services/ and tools/ are kept clean.
#
# Usage: scripts/check-tidy.sh [-p BUILD_DIR] [PATH...]   (default: common/ services/ tools/)
#   BUILD_DIR must hold compile_commands.json (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON,
#   and built once so generated headers exist); default: build/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=build
if [[ "${1:-}" == "-p" ]]; then
  build_dir=$2
  shift 2
fi
paths=("$@")
((${#paths[@]})) || paths=(common/ services/ tools/)

if ! command -v run-clang-tidy >/dev/null; then
  echo "check-tidy: run-clang-tidy not found; run scripts/install-deps.sh" >&2
  exit 2
fi
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  echo "check-tidy: no $build_dir/compile_commands.json; configure with" \
    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON or pass -p BUILD_DIR" >&2
  exit 2
fi

# run-clang-tidy takes regexes matched against the absolute file names.
regexes=()
for p in "${paths[@]}"; do
  regexes+=("$(realpath -m "$p")")
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run-clang-tidy -p "$build_dir" -j "$(nproc)" -quiet "${regexes[@]}" >"$log" 2>&1 || true

# One line per finding (a header's finding is reported once per source);
# generated code in the build dir (protobuf, embedded Lua) is not ours.
build_abs=$(realpath "$build_dir")
mapfile -t findings < <(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^/.*: (warning|error):' |
  grep -vF "$build_abs/" | sort -u)
if ((${#findings[@]} == 0)); then
  echo "check-tidy: no findings in ${paths[*]}"
  exit 0
fi
printf '%s\n' "${findings[@]}"
echo
echo "check-tidy: ${#findings[@]} findings in ${paths[*]}, per check:"
printf '%s\n' "${findings[@]}" | grep -oE '\[[a-z0-9.,-]+\]$' | sort | uniq -c | sort -rn
exit 1
