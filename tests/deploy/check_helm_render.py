#!/usr/bin/env python3
"""Renders the Helm chart with helmrender (Helm's template engine rebuilt
from Go's text/template and the sprig library, from Debian's packages; see
helmrender/main.go) for the default values, every ci/*.yaml and a few more
scenarios, and puts the result through the same object checks as the
kustomize overlays (k8s_checks.py), plus what only the chart does: image
tags from appVersion and global.imageRegistry, the PrometheusRule (parsed by
promtool, runbook URLs rewritten), the dashboard ConfigMap, the Redis
subchart wiring, labels and name lengths, and `required` values that must
stop a broken install.

Usage: check_helm_render.py BUILD_DIR   (helmrender is built there)
"""
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402
import k8s_checks as k  # noqa: E402

yaml = c.load_yaml_module()
HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE, NAMESPACE = "dermaflow", "clinics"


def build(build_dir):
    go = c.tool("go")
    out = os.path.join(build_dir, "helmrender")
    src = os.path.join(HERE, "helmrender")
    env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode",
               GOCACHE=os.path.join(build_dir, "go-cache"), GOFLAGS="")
    r = subprocess.run([go, "build", "-o", out, "."], cwd=src, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("FAIL: cannot build helmrender (Debian packages golang-go, golang-github-masterminds-sprig-dev, "
                 "golang-gopkg-yaml.v2-dev):\n" + r.stderr)
    return out


def render(tool, *value_files, extra=None, release=RELEASE):
    files = list(value_files)
    tmp = None
    if extra is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        json.dump(extra, tmp)
        tmp.close()
        files.append(tmp.name)
    cmd = [tool, "-chart", c.CHART_DIR, "-name", release, "-namespace", NAMESPACE]
    for f in files:
        cmd += ["-f", f]
    r = c.run(cmd)
    if tmp:
        os.unlink(tmp.name)
    return r.returncode, r.stdout, r.stderr


def objects(text):
    return [d for d in yaml.safe_load_all(text) if d]


def by(objs, kind, name=None):
    return [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def container(o):
    return k.pod_spec(o)["containers"][0]


def env_of(o, objs):
    ctr = container(o)
    env = {}
    for ref in ctr.get("envFrom", []):
        for cm in by(objs, "ConfigMap", ref.get("configMapRef", {}).get("name")):
            env.update(cm.get("data", {}))
    for e in ctr.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    return env


def common_checks(where, objs):
    for o in objs:
        n = o["metadata"]["name"]
        labels = o["metadata"].get("labels", {})
        for key in ("helm.sh/chart", "app.kubernetes.io/name", "app.kubernetes.io/instance",
                    "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of"):
            if key not in labels:
                k.fail(f"{where} {o['kind']} {n}", f"label {key} missing")
        if len(n) > 63:
            k.fail(f"{where} {o['kind']} {n}", "name longer than 63 characters")
        if "apiVersion" not in o:
            k.fail(f"{where} {o['kind']} {n}", "no apiVersion")


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    os.makedirs(build_dir, exist_ok=True)
    tool = build(build_dir)
    chart = yaml.safe_load(open(os.path.join(c.CHART_DIR, "Chart.yaml")))
    ci = sorted(os.path.join(c.CHART_DIR, "ci", f) for f in os.listdir(os.path.join(c.CHART_DIR, "ci")))
    scenarios = [("default values", [], None)] + [(f"ci/{os.path.basename(f)}", [f], None) for f in ci] + [
        ("auth none, tls on, no network policy", [], {"auth": {"mode": "none"}, "networkPolicy": {"enabled": False},
                                                      "tls": {"enabled": True, "existingSecret": "dermaflow-tls"}}),
        ("only scheduling and its callees", [], {"notification": {"enabled": False}}),
    ]
    rendered = {}
    for name, files, extra in scenarios:
        rc, out, err = render(tool, *files, extra=extra)
        if rc != 0:
            k.fail(name, "render failed: " + err.strip())
            continue
        objs = objects(out)
        rendered[name] = objs
        full = name != "only scheduling and its callees"
        k.check_objects(f"helm [{name}]", objs, strict=full, extra_components=("test",),
                        require_network_policies=(extra or {}).get("networkPolicy", {}).get("enabled", True))
        common_checks(f"helm [{name}]", objs)
        print(f"helm [{name}]: {len(objs)} objects rendered and checked")

    d = rendered.get("default values", [])
    for dep in by(d, "Deployment"):
        if not container(dep)["image"].endswith(":" + chart["appVersion"]):
            k.fail("helm [default values]", f"{dep['metadata']['name']} image {container(dep)['image']} is not tagged appVersion")
        if any(v.get("name") == "tls" for v in k.pod_spec(dep).get("volumes", [])):
            k.fail("helm [default values]", "TLS volume although tls.enabled is false")
    if by(d, "ServiceMonitor") or by(d, "PrometheusRule"):
        k.fail("helm [default values]", "Prometheus Operator objects although disabled (the CRDs may be missing)")
    test_pods = [p for p in by(d, "Pod") if p["metadata"].get("annotations", {}).get("helm.sh/hook") == "test"]
    if len(test_pods) != 1:
        k.fail("helm [default values]", "no `helm test` pod")
    else:
        script = "\n".join(container(test_pods[0]).get("args", []))
        for s in c.SERVICES:
            line = f"{RELEASE}-{s} {c.GRPC_PORT[s]} {c.METRICS_PORT[s]}"
            if line not in script:
                k.fail("helm test pod", f"does not check {line}")

    prod = rendered.get("ci/production-values.yaml", [])
    if prod:
        values = yaml.safe_load(open(os.path.join(c.CHART_DIR, "ci", "production-values.yaml")))
        reg = values["global"]["imageRegistry"]
        for dep in by(prod, "Deployment"):
            env = env_of(dep, prod)
            if not container(dep)["image"].startswith(reg + "/"):
                k.fail("helm [production]", f"{dep['metadata']['name']}: image without global.imageRegistry")
            for var in ("DERMAFLOW_TLS_CERT", "DERMAFLOW_TLS_KEY", "DERMAFLOW_TLS_CA", "DERMAFLOW_TLS_CLIENT_CA"):
                path = env.get(var, "")
                mounts = [m["mountPath"] for m in container(dep).get("volumeMounts", [])]
                if not any(path.startswith(m + "/") for m in mounts):
                    k.fail("helm [production]", f"{dep['metadata']['name']}: {var}={path!r} is not in a mounted volume")
        rules = by(prod, "PrometheusRule")
        if len(rules) != 1:
            k.fail("helm [production]", "no PrometheusRule")
        else:
            spec = rules[0]["spec"]
            urls = [r["annotations"]["runbook_url"] for g in spec["groups"] for r in g["rules"] if "alert" in r]
            base = values["prometheusRule"]["runbookBaseUrl"]
            if not urls or not all(u.startswith(base + "#") for u in urls):
                k.fail("helm [production]", f"runbook URLs not rewritten to {base}: {urls[:2]}")
            if "release" not in rules[0]["metadata"]["labels"]:
                k.fail("helm [production]", "PrometheusRule without prometheusRule.additionalLabels")
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                yaml.safe_dump(spec, f)
            r = c.run([c.tool("promtool"), "check", "rules", f.name])
            os.unlink(f.name)
            if r.returncode != 0:
                k.fail("helm [production]", "PrometheusRule spec rejected by promtool:\n" + r.stdout + r.stderr)
        dash = by(prod, "ConfigMap", f"{RELEASE}-dashboard")
        if not dash or dash[0]["metadata"]["labels"].get("grafana_dashboard") != "1":
            k.fail("helm [production]", "no dashboard ConfigMap labelled grafana_dashboard: \"1\"")
        else:
            got = json.loads(dash[0]["data"]["dermaflow.json"])
            if got != json.load(open(c.DASHBOARD_FILE)):
                k.fail("helm [production]", "dashboard ConfigMap differs from deploy/grafana/dermaflow.json")

    sub = rendered.get("ci/redis-subchart-values.yaml", [])
    for dep in by(sub, "Deployment"):
        env = env_of(dep, sub)
        if env.get("DERMAFLOW_REDIS") != f"redis://{RELEASE}-redis-master:6379/0":
            k.fail("helm [redis subchart]", f"DERMAFLOW_REDIS={env.get('DERMAFLOW_REDIS')}, want the subchart's master")
        ref = (env.get("DERMAFLOW_REDIS_PASSWORD") or {}).get("secretKeyRef", {})
        if (ref.get("name"), ref.get("key")) != (f"{RELEASE}-redis", "redis-password"):
            k.fail("helm [redis subchart]", f"password from {ref}, want the subchart's Secret {RELEASE}-redis/redis-password")
        if k.pod_spec(dep)["containers"][0].get("volumeMounts", []) and any(
                m["name"] == "jwt" for m in container(dep)["volumeMounts"]):
            k.fail("helm [redis subchart]", "JWT key mounted although auth.mode is none")
        if dep["spec"].get("replicas") != 1:
            k.fail("helm [redis subchart]", "replicaCount not applied with autoscaling off")

    only = rendered.get("only scheduling and its callees", [])
    if only and by(only, "Deployment", f"{RELEASE}-notification"):
        k.fail("helm [notification disabled]", "notification still rendered")

    for name, extra in (("tls without a Secret", {"tls": {"enabled": True}}),
                        ("jwt without a Secret", {"auth": {"existingSecret": ""}})):
        rc, _, err = render(tool, extra=extra)
        if rc == 0:
            k.fail(f"helm [{name}]", "rendered; a `required` value should stop it")
        else:
            print(f"helm [{name}]: refused as it should be: {err.strip().splitlines()[-1][:140]}")

    if k.problems:
        print("\n".join("FAIL " + p for p in k.problems))
        return 1
    print(f"helm render: {len(rendered)} scenarios rendered and checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
