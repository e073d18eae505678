#!/usr/bin/env python3
"""The compose stack, without Docker: every service runs a real binary with
flags it knows and ports that agree with the contract; bind-mounted files
exist; Prometheus scrapes exactly the services' metrics ports as job
"dermaflow" with a component label (`promtool check config` on its config,
the rule file resolved through the compose mounts); Grafana gets the
dashboard and a Prometheus data source; Redis keeps an AOF; a mail catcher
(Mailpit, a pinned image) listens for SMTP inside the network and shows its
web UI on 127.0.0.1 only, and notification (alone) sends its e-mails there,
plaintext allowed only because it is that catcher.

Usage: check_compose.py
"""
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

yaml = c.load_yaml_module()
COMPOSE_DIR = os.path.join(c.REPO, "deploy", "compose")
problems = []


def fail(m):
    problems.append(m)


def mounts(svc):
    """container path -> host path for bind mounts (relative to the compose file)."""
    out = {}
    for v in svc.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            src, dst = parts[0], parts[1]
        else:
            src, dst = v.get("source"), v.get("target")
        if src.startswith(".") or src.startswith("/"):
            out[dst] = os.path.normpath(os.path.join(COMPOSE_DIR, src))
    return out


def check_mail_catcher(services):
    mp = services.get("mailpit")
    if not mp:
        fail("no mail catcher service 'mailpit'")
        return
    image = mp.get("image", "")
    if not image.startswith("axllent/mailpit:") or image.endswith(":latest"):
        fail(f"mailpit: image {image!r}, want axllent/mailpit with a fixed tag")
    env = mp.get("environment", {})
    smtp_port = str(env.get("MP_SMTP_BIND_ADDR", "0.0.0.0:1025")).rsplit(":", 1)[-1]
    ui_port = str(env.get("MP_UI_BIND_ADDR", "0.0.0.0:8025")).rsplit(":", 1)[-1]
    published = [str(p) for p in mp.get("ports", [])]
    if f"127.0.0.1:8025:{ui_port}" not in published:
        fail(f"mailpit: web UI port {ui_port} should be published as 127.0.0.1:8025, got {published}")
    for p in published:
        if not p.startswith("127.0.0.1:"):
            fail(f"mailpit: port {p} is published on every interface; bind 127.0.0.1")
    n = services.get("notification", {})
    nenv = n.get("environment", {})
    if nenv.get("DERMAFLOW_SMTP_URL") != f"smtp://mailpit:{smtp_port}":
        fail(f"notification: DERMAFLOW_SMTP_URL={nenv.get('DERMAFLOW_SMTP_URL')!r}, want smtp://mailpit:{smtp_port}")
    if not nenv.get("DERMAFLOW_SMTP_FROM"):
        fail("notification: DERMAFLOW_SMTP_FROM not set")
    # Plaintext SMTP is allowed here only because the server is the catcher.
    if str(nenv.get("DERMAFLOW_SMTP_INSECURE_PLAINTEXT")).lower() != "true":
        fail("notification: the catcher speaks plain SMTP: DERMAFLOW_SMTP_INSECURE_PLAINTEXT must be \"true\"")
    if "mailpit" not in (n.get("depends_on") or {}) or "redis" not in (n.get("depends_on") or {}):
        fail(f"notification: depends_on {n.get('depends_on')}, want redis and mailpit")
    for comp in c.SERVICES:
        env = services.get(comp, {}).get("environment", {})
        if comp != "notification" and any(k.startswith(("DERMAFLOW_SMTP_", "DERMAFLOW_SMS_")) for k in env):
            fail(f"{comp}: SMTP/SMS settings belong to notification only")
    print(f"compose: notification sends e-mail to {nenv.get('DERMAFLOW_SMTP_URL')} ({image}), "
          f"delivered mail on http://{published[0].rsplit(':', 1)[0] if published else '?'}")


def main():
    doc = yaml.safe_load(open(os.path.join(COMPOSE_DIR, "compose.yaml")))
    services = doc.get("services", {})
    for name, svc in services.items():
        for dst, src in mounts(svc).items():
            if not os.path.exists(src):
                fail(f"{name}: bind mount {os.path.relpath(src, c.REPO)} -> {dst} does not exist")
        build = svc.get("build")
        if build:
            ctx = os.path.normpath(os.path.join(COMPOSE_DIR, build["context"]))
            if not os.path.exists(os.path.join(ctx, build["dockerfile"])):
                fail(f"{name}: build.dockerfile {build['dockerfile']} not found in {ctx}")
    for comp in c.SERVICES:
        svc = services.get(comp)
        if not svc:
            fail(f"no compose service '{comp}'")
            continue
        if svc.get("command", [None])[0] != c.BINARY[comp]:
            fail(f"{comp}: command {svc.get('command')} should run {c.BINARY[comp]}")
        env = svc.get("environment", {})
        known = {c.env_name(f) for f in c.flags_of(comp)}
        for k in env:
            if k.startswith("DERMAFLOW_") and k not in known:
                fail(f"{comp}: {k} is no flag of {c.BINARY[comp]}")
        for callee in c.CALLEES[comp]:
            addr = env.get(c.env_name(f"{callee}_addr"), "")
            if addr != f"{callee}:{c.GRPC_PORT[callee]}":
                fail(f"{comp}: {c.env_name(callee + '_addr')}={addr!r}, want {callee}:{c.GRPC_PORT[callee]}")
        if env.get("DERMAFLOW_LISTEN", "").rsplit(":", 1)[-1] != str(c.GRPC_PORT[comp]):
            fail(f"{comp}: DERMAFLOW_LISTEN should use port {c.GRPC_PORT[comp]}")
        if env.get("DERMAFLOW_METRICS_LISTEN", "").rsplit(":", 1)[-1] != str(c.METRICS_PORT[comp]):
            fail(f"{comp}: DERMAFLOW_METRICS_LISTEN should use port {c.METRICS_PORT[comp]}")
        if not str(env.get("DERMAFLOW_REDIS", "")).startswith("redis://redis:"):
            fail(f"{comp}: DERMAFLOW_REDIS should point at the redis service")
        for p in svc.get("ports", []):
            if not str(p).startswith("127.0.0.1:"):
                fail(f"{comp}: port {p} is published on every interface; bind 127.0.0.1")
        if svc.get("read_only") is not True or "ALL" not in svc.get("cap_drop", []):
            fail(f"{comp}: read_only and cap_drop: [ALL] expected")
        if str(svc.get("user", "0")).split(":")[0] in ("0", "root"):
            fail(f"{comp}: runs as root")
    check_mail_catcher(services)
    redis_cmd = " ".join(services.get("redis", {}).get("command", []))
    if "--appendonly yes" not in redis_cmd:
        fail("redis: AOF (--appendonly yes) expected")

    prom = services.get("prometheus", {})
    pm = mounts(prom)
    cfg_path = pm.get("/etc/prometheus/prometheus.yml")
    if not cfg_path:
        fail("prometheus: /etc/prometheus/prometheus.yml is not mounted")
    else:
        cfg = yaml.safe_load(open(cfg_path))
        jobs = {j["job_name"]: j for j in cfg.get("scrape_configs", [])}
        job = jobs.get("dermaflow")
        if not job:
            fail("prometheus.yml: no job 'dermaflow' (the alerts select job=\"dermaflow\")")
        else:
            targets = {}
            for sc in job.get("static_configs", []):
                for t in sc["targets"]:
                    targets[t] = sc.get("labels", {}).get("component")
            want = {f"{s}:{c.METRICS_PORT[s]}": s for s in c.SERVICES}
            if targets != want:
                fail(f"prometheus.yml: job dermaflow scrapes {targets}, want {want}")
        # promtool check config, with container paths mapped to the repo files.
        tmp = tempfile.mkdtemp()
        try:
            text = open(cfg_path).read()
            for rf in cfg.get("rule_files", []):
                host = None
                for dst, src in pm.items():
                    if rf == dst or rf.startswith(dst.rstrip("/") + "/"):
                        host = src + rf[len(dst):]
                if not host:
                    fail(f"prometheus.yml: rule file {rf} is not mounted into the container")
                    continue
                text = text.replace(rf, host)
            mapped = os.path.join(tmp, "prometheus.yml")
            open(mapped, "w").write(text)
            r = c.run([c.tool("promtool"), "check", "config", mapped])
            print((r.stdout + r.stderr).strip().replace(tmp, "<compose>"))
            if r.returncode != 0:
                fail("promtool check config failed")
        finally:
            shutil.rmtree(tmp)

    graf = services.get("grafana", {})
    gm = mounts(graf)
    prov = gm.get("/etc/grafana/provisioning")
    if not prov:
        fail("grafana: provisioning is not mounted")
    else:
        ds = yaml.safe_load(open(os.path.join(prov, "datasources", "prometheus.yaml")))
        if not any(d.get("type") == "prometheus" and re.search(r"//prometheus:9090", d.get("url", ""))
                   for d in ds.get("datasources", [])):
            fail("grafana: no Prometheus data source at http://prometheus:9090")
        dp = yaml.safe_load(open(os.path.join(prov, "dashboards", "dermaflow.yaml")))
        paths = [p["options"]["path"] for p in dp.get("providers", [])]
        dash_mounted = [d for d, s in gm.items() if os.path.samefile(s, c.DASHBOARD_FILE)] if os.path.exists(c.DASHBOARD_FILE) else []
        if not any(d.startswith(p.rstrip("/") + "/") for d in dash_mounted for p in paths):
            fail(f"grafana: deploy/grafana/dermaflow.json is not mounted under a provisioned path {paths}")
    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print(f"compose: {len(services)} services consistent with the contract")
    return 0


if __name__ == "__main__":
    sys.exit(main())
