#!/usr/bin/env python3
"""Holds the dashboard and the alert rules to what the services really export,
and the deploy configs to what the binaries really accept.

Starts a real redis-server and the four service binaries on free loopback
ports, configured only through DERMAFLOW_* variables as Kubernetes and
compose configure them (--auth=none), then:
- every metric name in the dashboard's queries and the alert rules is
  exported by a running service (histograms through _bucket/_sum/_count;
  Prometheus' own `up` aside), and each service exports its contract set;
- grpc_code and grpc_type label values, where calls were counted, are the
  canonical names the alerts match;
- the plaintext health port (--health_listen, what the probes use) and the
  gRPC port answer SERVING, and dermaflow_redis_up is 1;
- every DERMAFLOW_* variable the k8s manifests, the chart and compose set is
  a flag in the binary's --helpfull;
- with Redis stopped, health turns NOT_SERVING and dermaflow_redis_up 0
  (what readiness and DermaflowRedisDown rely on); SIGTERM exits 0.
Every process it starts is stopped by PID at the end.

Usage: check_running_services.py BIN_DIR
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

yaml = c.load_yaml_module()
HERE = os.path.dirname(os.path.abspath(__file__))
problems = []
procs = []


def fail(m):
    problems.append(m)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return r.read().decode()


def parse_exposition(text):
    """family -> type, and samples as (name, labels dict, value)."""
    types, samples = {}, []
    for line in text.splitlines():
        m = re.match(r"# TYPE (\S+) (\S+)", line)
        if m:
            types[m.group(1)] = m.group(2)
            continue
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+(\S+)", line)
        if m:
            labels = dict(re.findall(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
            samples.append((m.group(1), labels, m.group(4)))
    return types, samples


def exported(types, samples):
    names = set(types)
    for n, _, _ in samples:
        names.add(n)
    for fam, t in types.items():
        if t in ("histogram", "summary"):
            names |= {fam + "_bucket", fam + "_sum", fam + "_count"}
    return names


def health(addresses):
    r = c.run([c.tool("node"), os.path.join(HERE, "grpc_health.js"), c.REPO] + addresses, timeout=30)
    if r.returncode != 0:
        fail("grpc_health.js failed (tools/node installed?): " + r.stderr.strip()[:400])
        return {}
    return {d["address"]: d.get("status") or d.get("error") for d in map(json.loads, r.stdout.split("\n")[:-1])}


def deploy_env_names():
    """DERMAFLOW_* names each service gets from the deploy configs."""
    names = {s: set() for s in c.SERVICES}
    kubectl = c.tool("kubectl")
    overlays = os.path.join(c.REPO, "deploy", "k8s", "overlays")
    for ov in sorted(os.listdir(overlays)):
        out = c.run([kubectl, "kustomize", os.path.join(overlays, ov)]).stdout
        objs = [d for d in yaml.safe_load_all(out) if d]
        cms = {o["metadata"]["name"]: o.get("data", {}) for o in objs if o["kind"] == "ConfigMap"}
        for o in objs:
            if o["kind"] != "Deployment":
                continue
            comp = o["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component")
            if comp not in names:
                continue
            ctr = o["spec"]["template"]["spec"]["containers"][0]
            names[comp] |= {e["name"] for e in ctr.get("env", [])}
            for ref in ctr.get("envFrom", []):
                names[comp] |= set(cms.get(ref.get("configMapRef", {}).get("name"), {}))
    compose = yaml.safe_load(open(os.path.join(c.REPO, "deploy", "compose", "compose.yaml")))
    for s in c.SERVICES:
        names[s] |= set(compose["services"][s].get("environment", {}))
    chart_text = ""
    for root, _, files in os.walk(os.path.join(c.CHART_DIR, "templates")):
        for f in files:
            chart_text += open(os.path.join(root, f)).read()
    chart_common = {n for n in re.findall(r"\bDERMAFLOW_[A-Z0-9_]*[A-Z0-9]\b", chart_text)}
    any_service = {c.env_name(f) for f in c.all_flags()}
    for s in c.SERVICES:
        # A name the contract gives another service only is set for that one
        # (the templates say so); any other name must be a flag of every binary.
        own = {c.env_name(f) for f in c.flags_of(s)}
        names[s] |= {n for n in chart_common if not n.endswith("_ADDR") and (n in own or n not in any_service)}
        names[s] |= {c.env_name(f"{callee}_addr") for callee in list(c.CALLEES[s]) + list(c.OPTIONAL_CALLEES[s])}
    return {s: {n for n in v if n.startswith("DERMAFLOW_")} for s, v in names.items()}


def start(cmd, env, log):
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=15):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def main():
    bin_dir = sys.argv[1]
    for s in c.SERVICES:
        if not os.access(os.path.join(bin_dir, c.BINARY[s]), os.X_OK):
            print(f"FAIL {os.path.join(bin_dir, c.BINARY[s])} not built")
            return 1
    rules = yaml.safe_load(open(c.RULES_FILE))
    dashboard = json.load(open(c.DASHBOARD_FILE))
    used = {}
    for where, e in c.rule_exprs(rules) + [(f"dashboard {w}", e) for w, e in c.grafana_exprs(dashboard)]:
        for n in c.promql_metric_names(e):
            used.setdefault(n, []).append(where)
    if len(used) < 15:
        fail(f"only {len(used)} metric names found in rules and dashboard; the extractor is broken")

    tmp = tempfile.mkdtemp(prefix="dermaflow-deploy-")
    redis_port = free_port()
    redis = start([c.tool("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
                   "--dir", tmp, "--save", "", "--appendonly", "no", "--daemonize", "no"],
                  dict(os.environ), open(os.path.join(tmp, "redis.log"), "w"))
    if not wait_port(redis_port, redis):
        print("FAIL redis-server did not start")
        return 1
    ports = {}
    services = {}
    for s in c.SERVICES:
        ports[s] = {"grpc": free_port(), "metrics": free_port(), "health": free_port()}
    for s in c.SERVICES:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DERMAFLOW_")}
        env.update({
            "DERMAFLOW_LISTEN": f"127.0.0.1:{ports[s]['grpc']}",
            "DERMAFLOW_METRICS_LISTEN": f"127.0.0.1:{ports[s]['metrics']}",
            "DERMAFLOW_HEALTH_LISTEN": f"127.0.0.1:{ports[s]['health']}",
            "DERMAFLOW_REDIS": f"redis://127.0.0.1:{redis_port}/0",
            "DERMAFLOW_AUTH": "none",
            "DERMAFLOW_DRAIN_TIMEOUT": "2s",
            "DERMAFLOW_LOG_LEVEL": "info",
        })
        for callee in c.CALLEES[s]:
            env[c.env_name(f"{callee}_addr")] = f"127.0.0.1:{ports[callee]['grpc']}"
        services[s] = start([os.path.join(bin_dir, c.BINARY[s])], env, open(os.path.join(tmp, f"{s}.log"), "w"))
    try:
        for s in c.SERVICES:
            for kind in ("grpc", "metrics", "health"):
                if not wait_port(ports[s][kind], services[s]):
                    fail(f"{s}: {kind} port {ports[s][kind]} did not open; log:\n"
                         + open(os.path.join(tmp, f"{s}.log")).read()[-2000:])
        if problems:
            return report()

        # Health over both ports, as the probes and front-ends see it.
        addrs = [f"127.0.0.1:{ports[s][k]}" for s in c.SERVICES for k in ("health", "grpc")]
        deadline = time.time() + 10
        st = {}
        while time.time() < deadline:
            st = health(addrs)
            if all(v == "SERVING" for v in st.values()) and st:
                break
            time.sleep(0.5)
        for a, v in st.items():
            if v != "SERVING":
                fail(f"health at {a}: {v}, want SERVING with Redis up")

        exports = {}
        all_samples = []
        for s in c.SERVICES:
            types, samples = parse_exposition(scrape(ports[s]["metrics"]))
            exports[s] = exported(types, samples)
            all_samples += [(s, n, l, v) for n, l, v in samples]
            want = dict(c.COMMON_METRICS, **c.SERVICE_METRICS[s])
            for fam, t in want.items():
                if types.get(fam) != t:
                    fail(f"{s}: metric family {fam} ({t}) not exported" + (f" (type {types[fam]})" if fam in types else ""))
            up = [v for n, _, v in samples if n == "dermaflow_redis_up"]
            if not up or any(float(v) != 1 for v in up):
                fail(f"{s}: dermaflow_redis_up is {up}, want 1 with Redis reachable")
        union = set().union(*exports.values())
        # Series the rules record themselves (SLO ratios), and families that
        # have no series before their first use (calls to other services;
        # tests/integration/common_metrics checks those), are not scraped here.
        recorded = {r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r}
        for name, wheres in sorted(used.items()):
            if name in c.PROMETHEUS_SYNTHETIC or name in recorded or c.base_family(name) in c.LAZY_METRICS:
                continue
            if name not in union:
                fail(f"metric '{name}' (used by {', '.join(sorted(set(wheres))[:3])}) is exported by no service")
        for s, n, labels, _ in all_samples:
            if n.startswith("grpc_server_"):
                if "grpc_code" in labels and labels["grpc_code"] not in c.GRPC_CODES:
                    fail(f"{s}: grpc_code=\"{labels['grpc_code']}\"; the alerts match canonical names like Internal")
                if "grpc_type" in labels and labels["grpc_type"] not in c.GRPC_TYPES:
                    fail(f"{s}: grpc_type=\"{labels['grpc_type']}\"; the latency alert matches grpc_type=\"unary\"")

        # Flags the deploy configs set must exist in the binaries.
        env_names = deploy_env_names()
        for s in c.SERVICES:
            r = c.run([os.path.join(bin_dir, c.BINARY[s]), "--helpfull"], timeout=20)
            flags = set(re.findall(r"^\s+--([a-z0-9_]+)", r.stdout + r.stderr, re.M))
            if not flags:
                fail(f"{s}: --helpfull lists no flags")
                continue
            for name in sorted(env_names[s]):
                flag = name[len("DERMAFLOW_"):].lower()
                if flag not in flags:
                    fail(f"{s}: the deploy configs set {name}, but {c.BINARY[s]} has no --{flag}")

        # Redis gone: health NOT_SERVING and dermaflow_redis_up 0.
        stop(redis, signal.SIGKILL)
        deadline = time.time() + 20
        down = {}
        while time.time() < deadline:
            st = health([f"127.0.0.1:{ports[s]['health']}" for s in c.SERVICES])
            down = {}
            for s in c.SERVICES:
                _, samples = parse_exposition(scrape(ports[s]["metrics"]))
                down[s] = [float(v) for n, _, v in samples if n == "dermaflow_redis_up"]
            if all(v == "NOT_SERVING" for v in st.values()) and all(v and max(v) == 0 for v in down.values()):
                break
            time.sleep(0.5)
        for a, v in st.items():
            if v != "NOT_SERVING":
                fail(f"health at {a} is {v} with Redis stopped; readiness needs NOT_SERVING")
        for s, v in down.items():
            if not v or max(v) != 0:
                fail(f"{s}: dermaflow_redis_up {v} with Redis stopped; DermaflowRedisDown needs 0")

        for s in c.SERVICES:
            rc = stop(services[s], signal.SIGTERM, timeout=15)
            if rc != 0:
                fail(f"{s}: exit code {rc} after SIGTERM, want 0 (graceful drain)")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return report()


def report():
    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print("running services: every metric in the dashboard and alerts is exported; health, flags and "
          "Redis-down behaviour match the deploy configs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
