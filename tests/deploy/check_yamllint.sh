#!/usr/bin/env bash
# yamllint --strict on every plain YAML file of the deploy artifacts: compose,
# kustomize, Prometheus, Grafana provisioning, the chart's Chart.yaml,
# values.yaml and ci/ values, and these tests' data. Helm templates are Go
# templates, not YAML, and are left out.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
command -v yamllint >/dev/null || { echo "FAIL: yamllint not found (Debian package yamllint)"; exit 1; }
cd "$repo"
mapfile -t files < <(find deploy helm tests/deploy -type f \( -name '*.yaml' -o -name '*.yml' \) \
  -not -path 'helm/*/templates/*' -not -path 'helm/*/charts/*' | sort)
if ((${#files[@]} < 10)); then
  echo "FAIL: found only ${#files[@]} YAML files; the layout changed?"; exit 1
fi
yamllint --strict -c "$here/yamllint.yaml" "${files[@]}"
echo "yamllint: ${#files[@]} files clean"
