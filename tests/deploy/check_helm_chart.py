#!/usr/bin/env python3
"""The Helm chart, as far as it can be checked without helm:
- values.yaml, and each ci/*.yaml merged over it as helm merges them, validate
  against values.schema.json (ajv-cli, strict); known-bad values are rejected;
- every .Values path a template reads exists in values.yaml (per-service
  paths, $svc.x / .svc.x, in all four service blocks), and every value is read;
- every included template is defined, and template actions are balanced;
- every value is documented (a "# --" comment in values.yaml and a row in
  README.md); every resource carries the chart's labels;
- every DERMAFLOW_* variable the templates set is a flag the binary knows;
- Chart.yaml has appVersion and the optional Redis dependency.
`helm lint` and `helm template` run in a pipeline that has helm (docs/deploy.md).

Usage: check_helm_chart.py
"""
import copy
import glob
import json
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

yaml = c.load_yaml_module()
HERE = os.path.dirname(os.path.abspath(__file__))
CHART = c.CHART_DIR
TEMPLATES = os.path.join(CHART, "templates")
problems = []
# Keys read by the Redis subchart, not by our templates.
SUBCHART_KEYS = {"redis.architecture", "redis.commonConfiguration", "redis.auth", "redis.sentinel.downAfterMilliseconds"}


# URLs the services take (docs/operations.md, "Redis high availability");
# known-bad ones are in testdata/helm-invalid.
GOOD_REDIS_URLS = [
    "redis://redis:6379/0",
    "redis://[fd00::6]:6379",
    "redis+sentinel://s1.redis:26379,s2.redis:26379,s3.redis/mymaster/0",
    "redis+sentinel://dermaflow-redis/mymaster",
    "redis+cluster://dermaflow-redis-cluster:6379",
    "redis+cluster://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000",
]


def fail(msg):
    problems.append(msg)


def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def ajv_validate(values, label):
    ajv = os.path.join(c.REPO, "tools", "node", "node_modules", ".bin", "ajv")
    if not os.access(ajv, os.X_OK):
        sys.exit("FAIL: ajv-cli missing from tools/node (run scripts/install-deps.sh)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(values, f)
        path = f.name
    try:
        r = c.run([ajv, "validate", "--spec=draft7", "--strict=true", "--all-errors",
                   "-s", os.path.join(CHART, "values.schema.json"), "-d", path])
        return r.returncode == 0, (r.stdout + r.stderr).replace(path, label)
    finally:
        os.unlink(path)


def leaf_paths(d, prefix=""):
    """Every key path in a values tree (maps only; lists are values)."""
    out = []
    for k, v in d.items():
        p = f"{prefix}{k}"
        out.append(p)
        # Label maps ({"app.kubernetes.io/x": ...}) are values, not structure.
        if isinstance(v, dict) and not any("." in key or "/" in key for key in v):
            out.extend(leaf_paths(v, p + "."))
    return out


def has_path(d, path):
    cur = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return False
        cur = cur[part]
    return True


def get_path(d, path):
    for part in path.split("."):
        d = d[part]
    return d


def is_branch(v):
    return isinstance(v, dict) and v and not any("." in k or "/" in k for k in v)


def normalize(path, values=None):
    """<service>.x for a key every service block has; a key of one service
    (notification.email...) keeps its own name."""
    first, _, rest = path.partition(".")
    if first in c.SERVICES and rest and (values is None or all(has_path(values, f"{s}.{rest}") for s in c.SERVICES)):
        return f"<service>.{rest}"
    return path


def main():
    chart = yaml.safe_load(open(os.path.join(CHART, "Chart.yaml")))
    if chart.get("apiVersion") != "v2":
        fail("Chart.yaml: apiVersion must be v2")
    if not re.match(r"^\d+\.\d+\.\d+", str(chart.get("version", ""))):
        fail("Chart.yaml: version is not SemVer")
    if not isinstance(chart.get("appVersion"), str) or not chart["appVersion"]:
        fail("Chart.yaml: appVersion must be a quoted string (the default image tag)")
    deps = {d["name"]: d for d in chart.get("dependencies", [])}
    if deps.get("redis", {}).get("condition") != "redis.enabled":
        fail("Chart.yaml: the redis dependency must have condition: redis.enabled")

    values = yaml.safe_load(open(os.path.join(CHART, "values.yaml")))
    ok, out = ajv_validate(values, "values.yaml")
    print(f"values.yaml against values.schema.json: {'valid' if ok else 'INVALID'}")
    if not ok:
        fail("values.yaml does not validate:\n" + out)
    for f in sorted(glob.glob(os.path.join(CHART, "ci", "*.yaml"))):
        merged = deep_merge(values, yaml.safe_load(open(f)))
        ok, out = ajv_validate(merged, os.path.basename(f))
        print(f"ci/{os.path.basename(f)} merged over values.yaml: {'valid' if ok else 'INVALID'}")
        if not ok:
            fail(f"ci/{os.path.basename(f)} does not validate:\n" + out)
    bad = sorted(glob.glob(os.path.join(HERE, "testdata", "helm-invalid", "*.yaml")))
    if not bad:
        fail("no known-bad values in tests/deploy/testdata/helm-invalid")
    for f in bad:
        ok, out = ajv_validate(deep_merge(values, yaml.safe_load(open(f))), os.path.basename(f))
        # "# error at: /json/pointer": rejected for that value, not another.
        where = re.findall(r"^# error at: (\S+)", open(f).read(), re.M)
        wrong = [w for w in where if f"instancePath: '{w}'" not in out]
        print(f"known-bad {os.path.basename(f)}: {'ACCEPTED' if ok else 'rejected'}"
              + (f" at {', '.join(where)}" if where and not ok and not wrong else ""))
        if ok:
            fail(f"values.schema.json accepts {os.path.relpath(f, c.REPO)}")
        elif wrong:
            fail(f"{os.path.relpath(f, c.REPO)} is rejected, but not at {wrong}:\n{out}")

    # The three Redis URL forms the services parse (contract.REDIS_URL) are
    # what the schema lets through, and each of them does get through.
    schema = json.load(open(os.path.join(CHART, "values.schema.json")))
    if schema["properties"]["redis"]["properties"]["url"].get("pattern") != c.REDIS_URL.pattern:
        fail("values.schema.json: redis.url's pattern differs from contract.REDIS_URL")
    for url in GOOD_REDIS_URLS:
        if not c.REDIS_URL.match(url):
            fail(f"contract.REDIS_URL refuses {url}")
        ok, out = ajv_validate(deep_merge(values, {"redis": {"url": url}}), url)
        print(f"redis.url {url}: {'accepted' if ok else 'REFUSED'}")
        if not ok:
            fail(f"values.schema.json refuses redis.url {url}:\n{out}")

    texts = {}
    for f in sorted(glob.glob(os.path.join(TEMPLATES, "**", "*"), recursive=True)):
        if os.path.isfile(f):
            texts[os.path.relpath(f, CHART)] = open(f).read()
    actions = {n: re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", t, re.S) for n, t in texts.items()}

    used = set()
    defined, included = {}, set()
    for name, acts in actions.items():
        for a in acts:
            for m in re.finditer(r"\.Values\.([A-Za-z0-9_.]+)", a):
                path = m.group(1).rstrip(".")
                used.add(path)
                if not has_path(values, path):
                    fail(f"{name}: .Values.{path} is not in values.yaml")
            for m in re.finditer(r"(?:\$svc|\.svc)\.([A-Za-z0-9_.]+)", a):
                rest = m.group(1).rstrip(".")
                for s in c.SERVICES:
                    used.add(f"{s}.{rest}")
                    if not has_path(values, f"{s}.{rest}"):
                        fail(f"{name}: per-service value {rest} is not in values.yaml's {s} block")
            for m in re.finditer(r'define\s+"([^"]+)"', a):
                if m.group(1) in defined:
                    fail(f"{name}: template {m.group(1)} defined twice (also in {defined[m.group(1)]})")
                defined[m.group(1)] = name
            for m in re.finditer(r'(?:include|template)\s+"([^"]+)"', a):
                included.add((name, m.group(1)))
        opens = sum(1 for a in acts if re.match(r"(if|range|with|define|block)\b", a))
        ends = sum(1 for a in acts if re.match(r"end\b", a))
        if opens != ends:
            fail(f"{name}: {opens} if/range/with/define blocks but {ends} ends")
        if texts[name].count("{{") != texts[name].count("}}"):
            fail(f"{name}: unbalanced {{{{ }}}}")
    for name, inc in sorted(included):
        if inc not in defined:
            fail(f"{name}: includes undefined template '{inc}'")
    # Per-service blocks are read through index $.Values $name.
    for s in c.SERVICES:
        used.add(s)

    for p in leaf_paths(values):
        if any(p == u or p.startswith(u + ".") or u.startswith(p + ".") for u in used):
            continue
        if any(p == k or p.startswith(k + ".") for k in SUBCHART_KEYS):
            continue
        fail(f"values.yaml: {p} is never read by a template")

    # Documentation: a "# --" comment above every key, and a README row.
    lines = open(os.path.join(CHART, "values.yaml")).read().split("\n")
    stack = []
    for i, line in enumerate(lines):
        m = re.match(r"^( *)([A-Za-z0-9_.\-/]+):", line)
        if not m or line.lstrip().startswith("#") or line.lstrip().startswith("- "):
            continue
        indent = len(m.group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [m.group(2)])
        stack.append((indent, m.group(2)))
        parent = ".".join(k for _, k in stack[:-1])
        if parent and not has_path(values, path):
            continue  # inside a literal block
        j = i - 1
        while j >= 0 and lines[j].strip().startswith("#") and not lines[j].strip().startswith("# --"):
            j -= 1
        if j < 0 or not lines[j].strip().startswith("# --"):
            fail(f"values.yaml:{i + 1}: {path} has no '# --' comment")
    readme = open(os.path.join(CHART, "README.md")).read() if os.path.exists(os.path.join(CHART, "README.md")) else ""
    if not readme:
        fail("helm/dermaflow/README.md missing")
    documented = set(re.findall(r"^\|\s*`([^`]+)`", readme, re.M))
    leaves = {normalize(p, values) for p in leaf_paths(values) if not is_branch(get_path(values, p))}
    for p in sorted(leaves):
        parts = p.split(".")
        if any(".".join(parts[:i]) in documented for i in range(1, len(parts))):
            continue  # documented as a whole (e.g. a label map)
        if p not in documented:
            fail(f"README.md: no table row for `{p}`")
    for p in sorted(documented - {normalize(x, values) for x in leaf_paths(values)}):
        fail(f"README.md documents `{p}`, which values.yaml does not have")

    for name, text in texts.items():
        if re.search(r"^kind:", text, re.M) and not re.search(r'include "dermaflow\.(component)?[lL]abels"', text):
            fail(f"{name}: resources without the chart's app.kubernetes.io labels")
        for var in re.findall(r"\bDERMAFLOW_[A-Z0-9_]+", text):
            if var.endswith("_"):
                continue
            if var not in {c.env_name(f) for f in c.all_flags()}:
                fail(f"{name}: {var} is no flag of any service")
    dep = texts.get(os.path.join("templates", "deployment.yaml"), "")
    if "DERMAFLOW_{{ upper $callee }}_ADDR" in dep:
        m = re.search(r'\$callees := dict (.*)', dep)
        callees = dict(re.findall(r'"(\w+)" \(list ?([^)]*)\)', m.group(1))) if m else {}
        got = {k: sorted(re.findall(r'"(\w+)"', v)) for k, v in callees.items()}
        if got != {k: sorted(v) for k, v in c.CALLEES.items()}:
            fail(f"deployment.yaml: $callees {got} differs from the contract {c.CALLEES}")
    np_ = texts.get(os.path.join("templates", "networkpolicy.yaml"), "")
    m = re.search(r'\$callers := dict (.*)', np_)
    got = {k: sorted(re.findall(r'"(\w+)"', v)) for k, v in re.findall(r'"(\w+)" \(list ?([^)]*)\)', m.group(1))} if m else {}
    if got != c.CALLERS:
        fail(f"networkpolicy.yaml: $callers {got} differs from the contract {c.CALLERS}")
    for required in ("NOTES.txt", os.path.join("tests", "test-health.yaml"), "_helpers.tpl"):
        if os.path.join("templates", required) not in texts:
            fail(f"templates/{required} missing")
    if "helm.sh/hook: test" not in texts.get(os.path.join("templates", "tests", "test-health.yaml"), ""):
        fail("templates/tests/test-health.yaml is not a helm test hook")
    if not re.search(r"grafana_dashboard:\s*\"1\"", "".join(texts.values())):
        fail("no ConfigMap labelled grafana_dashboard: \"1\"")

    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print(f"helm chart: schema, {len(used)} value paths, {len(defined)} named templates, docs and labels check out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
